"""Tandem's own self-assessment framework, as data (loaded by migration 0002 and by the tests).

Written by the Tandem team in its own words. It is NOT the official text of the GCTF good
practices or of any toolkit checklist; its page says so (``AUTHOR_STATEMENT``).
"""

from __future__ import annotations

SLUG = "tandem-nlc"
NAME = "Tandem national–local cooperation self-assessment"
VERSION = "1.0"
AUTHOR_STATEMENT = (
    "Written by the Tandem team in its own words, for self-assessment and discussion. It is not the "
    "official text of the GCTF good practices on national–local cooperation, nor of any toolkit "
    "checklist, and it does not speak for any government or organisation."
)
AUTHOR_STATEMENT_FR = (
    "Rédigé par l'équipe de Tandem avec ses propres mots, pour l'auto-évaluation et la discussion. Ce "
    "n'est pas le texte officiel des bonnes pratiques du GCTF sur la coopération nationale–locale, ni "
    "d'aucune liste de contrôle d'une boîte à outils, et il ne parle au nom d'aucun gouvernement ni "
    "d'aucune organisation."
)
SOURCE = "Tandem project"
LICENCE = "CC BY 4.0 — cite as: Tandem team, national–local cooperation self-assessment, version 1.0."

LEVELS: list[tuple[int, str, str]] = [
    (0, "Absent", "Absent"),
    (1, "Initial", "Initial"),
    (2, "Developing", "En développement"),
    (3, "Established", "Établi"),
    (4, "Embedded", "Ancré"),
]

# code, name en, name fr, guidance en, guidance fr, items: [(code, en, fr)]
COMPETENCIES: list[tuple[str, str, str, str, str, list[tuple[str, str, str]]]] = [
    (
        "trust",
        "Trust",
        "Confiance",
        "Whether people at each level rely on each other's word and share what they know.",
        "Si les personnes de chaque niveau se fient à la parole des autres et partagent ce qu'elles savent.",
        [
            (
                "T1",
                "Local and national officials know each other by name and call each other when needed.",
                "Les responsables locaux et nationaux se connaissent par leur nom et s'appellent en cas de besoin.",
            ),
            (
                "T2",
                "Information passed to the other level is handled with the care that was agreed.",
                "Les informations transmises à l'autre niveau sont traitées avec le soin convenu.",
            ),
            (
                "T3",
                "Commitments made in joint meetings are kept, or the change is explained.",
                "Les engagements pris en réunion commune sont tenus, ou le changement est expliqué.",
            ),
            (
                "T4",
                "Civil society partners feel safe raising concerns with security agencies.",
                "Les partenaires de la société civile se sentent en sécurité pour soulever des inquiétudes "
                "auprès des services de sécurité.",
            ),
            (
                "T5",
                "Disagreements between levels are settled through dialogue rather than avoided.",
                "Les désaccords entre niveaux se règlent par le dialogue plutôt que d'être évités.",
            ),
        ],
    ),
    (
        "inclusivity",
        "Inclusivity",
        "Inclusion",
        "Whether the people affected, including women and young people, take part in decisions.",
        "Si les personnes concernées, y compris les femmes et les jeunes, prennent part aux décisions.",
        [
            (
                "I1",
                "Women's organisations hold seats in the local coordination body.",
                "Des organisations de femmes siègent dans l'instance locale de coordination.",
            ),
            (
                "I2",
                "Young people take part in planning, not only in consultation events.",
                "Les jeunes participent à la planification, pas seulement aux consultations.",
            ),
            (
                "I3",
                "Religious and community leaders are invited to contribute regularly.",
                "Les responsables religieux et communautaires sont invités à contribuer régulièrement.",
            ),
            (
                "I4",
                "Both security and non-security sectors are represented when priorities are set.",
                "Les secteurs de la sécurité et hors sécurité sont représentés lorsque les priorités sont fixées.",
            ),
            (
                "I5",
                "Meetings are held in places and languages that participants can reach and follow.",
                "Les réunions se tiennent dans des lieux et des langues accessibles aux participants.",
            ),
            (
                "I6",
                "Groups who are rarely heard have a way to bring issues to the table.",
                "Les groupes rarement entendus disposent d'un moyen de porter des sujets à l'ordre du jour.",
            ),
        ],
    ),
    (
        "coordination",
        "Coordination",
        "Coordination",
        "Whether the structures, meetings and follow-up that keep joint work moving exist and work.",
        "Si les structures, réunions et suivis qui font avancer le travail commun existent et fonctionnent.",
        [
            (
                "C1",
                "A coordination body with a written mandate meets on a regular schedule.",
                "Une instance de coordination dotée d'un mandat écrit se réunit selon un calendrier régulier.",
            ),
            (
                "C2",
                "Roles of the national and local levels are written down and understood.",
                "Les rôles des niveaux national et local sont écrits et compris.",
            ),
            (
                "C3",
                "Action items agreed in meetings have an owner and a due date.",
                "Les actions décidées en réunion ont un responsable et une échéance.",
            ),
            (
                "C4",
                "Action items are followed up and most are done on time.",
                "Les actions sont suivies et la plupart sont réalisées à temps.",
            ),
            (
                "C5",
                "Programmes of different agencies in the area are known to each other and do not overlap.",
                "Les programmes des différentes agences de la zone sont connus de tous et ne se chevauchent pas.",
            ),
        ],
    ),
    (
        "communication",
        "Communication",
        "Communication",
        "Whether information flows up, down and across in time to be useful.",
        "Si l'information circule vers le haut, vers le bas et latéralement à temps pour être utile.",
        [
            (
                "M1",
                "The local level reports concerns and trends to the national level through an agreed channel.",
                "Le niveau local signale préoccupations et tendances au niveau national par un canal convenu.",
            ),
            (
                "M2",
                "The national level shares guidance and relevant analysis with the local level.",
                "Le niveau national partage orientations et analyses utiles avec le niveau local.",
            ),
            (
                "M3",
                "Requests for information receive an answer within an agreed time.",
                "Les demandes d'information reçoivent une réponse dans un délai convenu.",
            ),
            (
                "M4",
                "Localities exchange experience with each other, not only with the capital.",
                "Les localités échangent leurs expériences entre elles, pas seulement avec la capitale.",
            ),
            (
                "M5",
                "The public is told what the joint work is doing and why.",
                "Le public est informé de ce que fait le travail commun et pourquoi.",
            ),
        ],
    ),
    (
        "capacity",
        "Capacity",
        "Capacités",
        "Whether people and organisations have the skills, time and means to do their part.",
        "Si les personnes et les organisations ont les compétences, le temps et les moyens de jouer leur rôle.",
        [
            (
                "K1",
                "Local staff have had training relevant to prevention work in the last two years.",
                "Le personnel local a suivi une formation utile au travail de prévention au cours des deux "
                "dernières années.",
            ),
            (
                "K2",
                "There is a named person with time set aside to coordinate the joint work.",
                "Une personne nommée dispose de temps dédié pour coordonner le travail commun.",
            ),
            (
                "K3",
                "Local partners can obtain expert advice from the national level when needed.",
                "Les partenaires locaux peuvent obtenir un avis d'expert du niveau national si nécessaire.",
            ),
            (
                "K4",
                "Lessons from past activities are written down and used.",
                "Les enseignements des activités passées sont consignés et utilisés.",
            ),
            (
                "K5",
                "Civil society partners have the means to take part (travel, time, equipment).",
                "Les partenaires de la société civile ont les moyens de participer (déplacements, temps, équipement).",
            ),
        ],
    ),
    (
        "sustainability",
        "Sustainability",
        "Durabilité",
        "Whether the cooperation would survive a change of people, funding or government.",
        "Si la coopération survivrait à un changement de personnes, de financement ou de gouvernement.",
        [
            (
                "S1",
                "A local action plan has been adopted by the competent authority.",
                "Un plan d'action local a été adopté par l'autorité compétente.",
            ),
            (
                "S2",
                "The joint work has a budget line of its own, not only project funding.",
                "Le travail commun dispose d'une ligne budgétaire propre, pas seulement de financements de projets.",
            ),
            (
                "S3",
                "The coordination body's mandate does not depend on one person staying in office.",
                "Le mandat de l'instance de coordination ne dépend pas du maintien d'une seule personne en poste.",
            ),
            (
                "S4",
                "Progress is reviewed at least once a year and the plan is adjusted.",
                "Les progrès sont examinés au moins une fois par an et le plan est ajusté.",
            ),
            (
                "S5",
                "Records of meetings, decisions and agreements are kept where successors can find them.",
                "Les traces des réunions, décisions et accords sont conservées là où les successeurs peuvent "
                "les trouver.",
            ),
        ],
    ),
]


def load(framework_model, competency_model, item_model, level_model):
    """Create the framework (idempotent: an existing version is returned as it is)."""
    existing = framework_model.objects.filter(slug=SLUG, version=VERSION).first()
    if existing is not None:
        return existing
    framework = framework_model.objects.create(
        slug=SLUG,
        name=NAME,
        version=VERSION,
        languages="en,fr",
        source=SOURCE,
        licence=LICENCE,
        is_official=False,
        author_statement=AUTHOR_STATEMENT,
    )
    for value, en, fr in LEVELS:
        level_model.objects.create(framework=framework, value=value, label_en=en, label_fr=fr)
    for position, (code, name_en, name_fr, guide_en, guide_fr, items) in enumerate(COMPETENCIES):
        competency = competency_model.objects.create(
            framework=framework,
            code=code,
            position=position,
            name_en=name_en,
            name_fr=name_fr,
            guidance_en=guide_en,
            guidance_fr=guide_fr,
        )
        for item_position, (item_code, statement_en, statement_fr) in enumerate(items):
            item_model.objects.create(
                competency=competency,
                code=item_code,
                position=item_position,
                statement_en=statement_en,
                statement_fr=statement_fr,
            )
    return framework

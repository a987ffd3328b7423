"""The demo library's items, written for Tandem (English, and French translations of most).

Each entry: (key, kind, country ISO code or "" for network-wide, visibility, year, competencies,
sectors, English (title, summary, body), French (title, summary, body) or None).
"""

from __future__ import annotations

P = "<p>{}</p>"


def _body(*paragraphs: str) -> str:
    return "".join(P.format(p) for p in paragraphs)


ITEMS: list[tuple] = [
    (
        "listening-tours",
        "case_study",
        "PH",
        "green",
        2023,
        ("trust", "inclusivity"),
        ("local_government", "youth"),
        (
            "Listening tours in the barangays",
            "A city council visited every barangay over six months to hear residents before drafting its "
            "prevention plan.",
            _body(
                "The council split into three small teams, each with a staff member who kept notes in a shared "
                "template. Sessions were held in the evening so that working parents and young people could come.",
                "What residents raised most was not violence but the lack of places for young people to meet. "
                "The plan that followed funded two youth centres before any awareness campaign.",
            ),
        ),
        (
            "Tournées d'écoute dans les barangays",
            "Un conseil municipal a visité chaque barangay pendant six mois pour écouter les habitants avant "
            "de rédiger son plan de prévention.",
            _body(
                "Le conseil s'est réparti en trois petites équipes, chacune accompagnée d'un agent qui prenait des "
                "notes dans un modèle commun. Les réunions avaient lieu le soir pour que les parents qui "
                "travaillent et les jeunes puissent venir.",
                "Les habitants ont surtout parlé du manque de lieux de rencontre pour les jeunes. Le plan qui a "
                "suivi a financé deux maisons de jeunes avant toute campagne de sensibilisation.",
            ),
        ),
    ),
    (
        "mandate-one-page",
        "guidance",
        "",
        "clear",
        2022,
        ("coordination", "sustainability"),
        ("local_government",),
        (
            "Writing a one-page mandate for a coordination body",
            "A short mandate that members can quote from memory does more than a long decree nobody reads.",
            _body(
                "Start with the problem the body exists to solve, in the words residents use. Then list what the "
                "body decides on its own, what it only advises on, and what stays with other institutions.",
                "End with how the mandate will be reviewed. Bodies that set a review date keep their mandate alive "
                "when the leadership changes.",
            ),
        ),
        (
            "Rédiger un mandat d'une page pour un organe de coordination",
            "Un mandat court, que les membres peuvent citer de mémoire, sert davantage qu'un long arrêté que "
            "personne ne lit.",
            _body(
                "Commencez par le problème que l'organe doit résoudre, avec les mots des habitants. Listez ensuite "
                "ce qu'il décide seul, ce sur quoi il donne seulement un avis, et ce qui reste à d'autres "
                "institutions.",
                "Terminez par la manière dont le mandat sera revu. Les organes qui fixent une date de révision "
                "gardent un mandat vivant quand la direction change.",
            ),
        ),
    ),
    (
        "referral-desk",
        "lesson",
        "KE",
        "country",
        2024,
        ("capacity", "coordination"),
        ("social_services", "health"),
        (
            "What we learned running a referral desk",
            "A county forum set up a single desk where families can ask for help; three lessons after the first year.",
            _body(
                "First, the desk only worked once every partner agreed on one intake form. Second, families came "
                "back when someone called them within a week. Third, the desk needed a budget line of its own: "
                "borrowed staff were always recalled at the worst moment.",
            ),
        ),
        (
            "Ce que nous avons appris en tenant un guichet d'orientation",
            "Un forum de comté a ouvert un guichet unique où les familles demandent de l'aide ; trois leçons "
            "après la première année.",
            _body(
                "D'abord, le guichet n'a fonctionné qu'une fois tous les partenaires d'accord sur un formulaire "
                "d'accueil unique. Ensuite, les familles revenaient quand on les rappelait dans la semaine. Enfin, "
                "le guichet avait besoin de sa propre ligne budgétaire : le personnel prêté était toujours rappelé "
                "au pire moment.",
            ),
        ),
    ),
    (
        "radio-updates",
        "case_study",
        "KE",
        "green",
        2023,
        ("communication", "trust"),
        ("media", "local_government"),
        (
            "Monthly updates on community radio",
            "A forum explains its decisions on a local radio programme, and takes questions by phone.",
            _body(
                "Each month two members, never the same pair, present what the forum decided and why. Listeners "
                "call in; questions that need an answer are logged and answered in the next programme.",
                "The programme made the forum known beyond the people who attend meetings, and it surfaced "
                "concerns that never reached the formal channels.",
            ),
        ),
        (
            "Un point mensuel sur la radio communautaire",
            "Un forum explique ses décisions dans une émission de radio locale et répond aux questions par téléphone.",
            _body(
                "Chaque mois, deux membres, jamais les mêmes, présentent ce que le forum a décidé et pourquoi. Les "
                "auditeurs appellent ; les questions qui demandent une réponse sont notées et traitées dans "
                "l'émission suivante.",
                "L'émission a fait connaître le forum au-delà de ceux qui assistent aux réunions, et elle a fait "
                "remonter des préoccupations qui n'arrivaient jamais par les canaux officiels.",
            ),
        ),
    ),
    (
        "data-sharing-template",
        "tool",
        "",
        "green",
        2024,
        ("coordination", "communication"),
        ("local_government", "community"),
        (
            "Template: information-sharing agreement between partners",
            "A fill-in template listing purpose, recipients, categories of information, retention and the "
            "contact person.",
            _body(
                "The template has six short sections. Partners fill it in together in one meeting; the result is "
                "signed by each organisation's head and filed with the body's secretariat.",
                "A last section lists what must never be shared, which members found as useful as the rest.",
            ),
        ),
        (
            "Modèle : accord de partage d'informations entre partenaires",
            "Un modèle à remplir qui précise la finalité, les destinataires, les catégories d'informations, la "
            "durée de conservation et la personne de contact.",
            _body(
                "Le modèle compte six courtes sections. Les partenaires le remplissent ensemble en une réunion ; "
                "le document est signé par le responsable de chaque organisation et déposé au secrétariat.",
                "Une dernière section liste ce qui ne doit jamais être partagé, que les membres ont trouvée aussi "
                "utile que le reste.",
            ),
        ),
    ),
    (
        "women-mediators",
        "case_study",
        "ID",
        "green",
        2022,
        ("inclusivity", "trust"),
        ("women", "community"),
        (
            "Women mediators in neighbourhood disputes",
            "A network of women trained as mediators now handles small disputes before they escalate.",
            _body(
                "The local prevention network trained twenty women nominated by their neighbourhoods. They meet "
                "monthly to discuss cases without names and to agree when to call the police or social services.",
                "Disputes over land and inheritance were the most common. Several mediators now sit on the "
                "network itself.",
            ),
        ),
        (
            "Des médiatrices dans les conflits de voisinage",
            "Un réseau de femmes formées à la médiation traite désormais les petits conflits avant qu'ils ne "
            "s'aggravent.",
            _body(
                "Le réseau local de prévention a formé vingt femmes désignées par leurs quartiers. Elles se "
                "réunissent chaque mois pour discuter des cas sans les nommer et décider quand appeler la police "
                "ou les services sociaux.",
                "Les conflits fonciers et d'héritage étaient les plus fréquents. Plusieurs médiatrices siègent "
                "aujourd'hui au réseau lui-même.",
            ),
        ),
    ),
    (
        "budget-line",
        "lesson",
        "MK",
        "green",
        2023,
        ("sustainability", "capacity"),
        ("local_government",),
        (
            "Why our action team asked for its own budget line",
            "Without a line in the municipal budget, every activity depended on a project that ended.",
            _body(
                "The team listed what it had spent over three years and showed the council that most costs were "
                "small and recurring: venues, transport, printing. The council agreed a modest annual line.",
                "The lesson for others: make the recurring costs visible before asking.",
            ),
        ),
        (
            "Pourquoi notre équipe d'action a demandé sa propre ligne budgétaire",
            "Sans ligne dans le budget municipal, chaque activité dépendait d'un projet qui prenait fin.",
            _body(
                "L'équipe a recensé ses dépenses sur trois ans et montré au conseil que la plupart étaient "
                "modestes et récurrentes : salles, transport, impression. Le conseil a accepté une ligne annuelle "
                "modeste.",
                "La leçon pour les autres : rendre visibles les coûts récurrents avant de demander.",
            ),
        ),
    ),
    (
        "national-liaison",
        "guidance",
        "",
        "clear",
        2024,
        ("coordination",),
        ("national_government", "local_government"),
        (
            "Keeping the link with national actors alive",
            "Practical ways for a local body to stay in touch with ministries and national agencies.",
            _body(
                "Name one member responsible for the national link, and give them a standing item on the agenda. "
                "Send a short note after each meeting to the national focal point, even when nothing is asked.",
                "When a request goes up, say what the body will do with the answer and by when.",
            ),
        ),
        (
            "Entretenir le lien avec les acteurs nationaux",
            "Des moyens concrets pour qu'un organe local reste en contact avec les ministères et les agences "
            "nationales.",
            _body(
                "Désignez un membre chargé du lien national et donnez-lui un point permanent à l'ordre du jour. "
                "Envoyez une courte note au point focal national après chaque réunion, même sans demande.",
                "Quand une demande remonte, dites ce que l'organe fera de la réponse et dans quel délai.",
            ),
        ),
    ),
    (
        "safe-space-rules",
        "tool",
        "",
        "green",
        2023,
        ("trust", "communication"),
        ("community",),
        (
            "Ground rules for a safe discussion space",
            "Ten ground rules a body can adopt at its first meeting and revisit every year.",
            _body(
                "The rules cover what may be repeated outside the room, how a member raises a disagreement, how "
                "sensitive information is labelled before it is shared, and who chairs when the chair is involved "
                "in a case.",
            ),
        ),
        (
            "Règles pour un espace de discussion sûr",
            "Dix règles qu'un organe peut adopter à sa première réunion et revoir chaque année.",
            _body(
                "Les règles précisent ce qui peut être répété hors de la salle, comment un membre exprime un "
                "désaccord, comment une information sensible est étiquetée avant d'être partagée, et qui préside "
                "quand le président est concerné par un cas.",
            ),
        ),
    ),
    (
        "school-partnership",
        "case_study",
        "PH",
        "country",
        2024,
        ("inclusivity", "capacity"),
        ("education", "youth"),
        (
            "Schools as partners of the coordination committee",
            "Head teachers joined the committee and now bring early concerns from classrooms.",
            _body(
                "Teachers often notice first when a pupil withdraws or changes. The committee agreed a simple, "
                "consent-based route from school counsellors to social services, and a yearly session with "
                "parents.",
            ),
        ),
        (
            "Les écoles partenaires du comité de coordination",
            "Des chefs d'établissement ont rejoint le comité et signalent désormais tôt les inquiétudes venues "
            "des classes.",
            _body(
                "Les enseignants remarquent souvent les premiers qu'un élève se replie ou change. Le comité a "
                "convenu d'un circuit simple, fondé sur le consentement, des conseillers scolaires vers les "
                "services sociaux, et d'une séance annuelle avec les parents.",
            ),
        ),
    ),
    (
        "municipal-policy",
        "policy",
        "MK",
        "country",
        2022,
        ("sustainability", "coordination"),
        ("local_government",),
        (
            "Municipal decision establishing a community action team",
            "The text a municipal council adopted to create its community action team, with its composition "
            "and reporting duties.",
            _body(
                "The decision sets the team's composition (municipality, police, schools, health centre, social "
                "work centre, two civil-society seats), its quarterly meetings and an annual report to the "
                "council.",
            ),
        ),
        (
            "Décision municipale créant une équipe d'action communautaire",
            "Le texte adopté par un conseil municipal pour créer son équipe d'action communautaire, avec sa "
            "composition et ses obligations de rapport.",
            _body(
                "La décision fixe la composition de l'équipe (commune, police, écoles, centre de santé, centre "
                "d'action sociale, deux sièges pour la société civile), ses réunions trimestrielles et un rapport "
                "annuel au conseil.",
            ),
        ),
    ),
    (
        "ethics-training",
        "guidance",
        "",
        "green",
        2024,
        ("capacity", "trust"),
        ("social_services", "police_security"),
        (
            "A half-day briefing on ethics and data protection",
            "An outline for training the people who handle shared information, with exercises.",
            _body(
                "The outline runs for four hours: why consent matters, what the local law requires, three case "
                "exercises, and a short test. It is meant to be repeated whenever staff change.",
            ),
        ),
        None,
    ),
    (
        "youth-council",
        "case_study",
        "ID",
        "country",
        2024,
        ("inclusivity",),
        ("youth",),
        (
            "A youth council with a real seat",
            "Young people elected their own representatives to the prevention network, with a vote.",
            _body(
                "The network reserved two voting seats for a youth council elected in schools and youth "
                "organisations. The council meets before each network meeting to prepare its positions.",
            ),
        ),
        None,
    ),
    (
        "existing-structures",
        "lesson",
        "PH",
        "green",
        2022,
        ("coordination", "sustainability"),
        ("local_government", "community"),
        (
            "Building on the peace and order council rather than starting anew",
            "A city folded its new prevention work into an existing council and saved a year of set-up.",
            _body(
                "Rather than create a new body, the city added a standing prevention item to its peace and order "
                "council and invited three civil-society members. Meetings, secretariat and budget were already "
                "there.",
            ),
        ),
        None,
    ),
    (
        "complaints-channel",
        "tool",
        "KE",
        "green",
        2023,
        ("communication", "trust"),
        ("community", "local_government"),
        (
            "A two-way channel for residents' concerns",
            "How to set up a simple channel, owned by the institution, through which residents raise concerns "
            "and hear back.",
            _body(
                "The channel has three parts: a phone line and a box at the ward office, a register kept by the "
                "secretariat, and a monthly public answer. Nothing depends on one person's phone.",
            ),
        ),
        None,
    ),
    (
        "periodic-review",
        "checklist",
        "",
        "clear",
        2024,
        ("sustainability", "coordination"),
        ("local_government",),
        (
            "Annual review of a coordination body",
            "Questions a body can go through once a year: membership, mandate, meetings, results.",
            _body(
                "Who has stopped coming, and why? Which decisions were carried out? Does the mandate still match "
                "local needs? Which partner is missing? What should stop?",
            ),
        ),
        None,
    ),
    (
        "faith-leaders",
        "case_study",
        "MK",
        "green",
        2024,
        ("trust", "inclusivity"),
        ("religious", "community"),
        (
            "Faith leaders in the community action team",
            "Leaders of three faiths joined the team and host its community meetings in turn.",
            _body(
                "Holding meetings in places of worship of different communities brought people who never came "
                "to the town hall. The team agreed clear rules so that no meeting became a sermon.",
            ),
        ),
        None,
    ),
    (
        "manila-workshop-brief",
        "lesson",
        "",
        "green",
        2023,
        ("coordination", "communication"),
        ("local_government", "national_government"),
        (
            "Regional exchange between mayors and national officials",
            "What came out of a regional exchange on coordination between local and national levels.",
            _body(
                "Country groups listed their main obstacles: unclear mandates, staff turnover, and little "
                "feedback from national agencies. They agreed to exchange their terms of reference and to visit "
                "each other's bodies.",
            ),
        ),
        None,
    ),
    (
        "standard-report-format",
        "tool",
        "",
        "green",
        2024,
        ("communication", "coordination"),
        ("local_government", "community"),
        None,
        (
            "Un format commun pour les rapports de situation",
            "Un modèle d'une page que tous les partenaires utilisent pour signaler une situation au secrétariat.",
            _body(
                "Le modèle demande le lieu, la date, ce qui a été observé, ce qui a déjà été fait et ce qui est "
                "demandé. Il ne contient jamais le nom d'une personne : le secrétariat le demande au besoin.",
            ),
        ),
    ),
    (
        "local-knowledge",
        "guidance",
        "",
        "clear",
        2023,
        ("inclusivity", "trust"),
        ("community",),
        None,
        (
            "Donner une place aux savoirs locaux",
            "Comment associer les personnes qui connaissent les quartiers aux décisions de l'organe de coordination.",
            _body(
                "Invitez les animateurs de quartier, les agents de santé communautaire et les associations de "
                "jeunes à une réunion sur deux. Demandez-leur ce qu'ils voient changer avant de présenter vos "
                "propres chiffres.",
            ),
        ),
    ),
    (
        "staff-turnover",
        "lesson",
        "",
        "green",
        2022,
        ("sustainability", "capacity"),
        ("local_government",),
        None,
        (
            "Survivre aux changements d'équipe",
            "Ce que des villes membres font pour que le travail de coordination continue quand les agents partent.",
            _body(
                "Un dossier de passation tenu à jour, deux personnes formées pour chaque fonction clé et un "
                "compte rendu de chaque réunion archivé au secrétariat : trois habitudes qui évitent de tout "
                "recommencer après une élection.",
            ),
        ),
    ),
]

"""The permissions the notification centre and the dashboards declare (see core.permissions).

A notification is read only by its recipient (``notifications.access``): every signed-in user has
a notification centre, whatever their role.
"""

from tandem.core.permissions import SIGNED_IN, requires

VIEW = SIGNED_IN

__all__ = ["VIEW", "requires"]

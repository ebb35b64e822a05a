"""Who does what in the knowledge base (SELF-02).

- Everyone, signed in or not (a customer, a contact of the portal): published articles for
  everyone, in their categories, by search and by suggestion.
- Agents (members of a group) and administrators: also the articles for agents only and the
  drafts; they write articles, publish them (seed 004: the agent who solved a question makes it
  public) and turn a resolved ticket into one.
- Managers and administrators of a group, and administrators: also delete articles and keep the
  categories (in the administration).
"""

from __future__ import annotations

from switchboard.tickets.models import Membership
from switchboard.tickets.permissions import User, is_agent


def reads_internal(user: User) -> bool:
    """Whether ``user`` sees the articles for agents only and the drafts."""
    return is_agent(user)


def can_write_articles(user: User) -> bool:
    return is_agent(user)


def can_delete_articles(user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    roles = [Membership.Role.MANAGER, Membership.Role.ADMINISTRATOR]
    return user.is_superuser or Membership.objects.filter(user=user, role__in=roles).exists()

"""factory_boy factories for the domain models."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from negotiations import models

BASE_TIME = datetime.datetime(2025, 3, 18, 12, 0, tzinfo=datetime.UTC)


class ConflictFactory(factory.django.DjangoModelFactory):
    """By default the seed's conflict, so that factories and the seed scenario share it."""

    class Meta:
        model = models.Conflict
        django_get_or_create = ["slug"]

    slug = "russia-ukraine"
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", "–").title())
    places = factory.LazyFunction(list)


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Party
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Party {n}")
    slug = factory.Sequence(lambda n: f"party-{n}")
    kind = models.Party.Kind.STATE
    aliases = factory.LazyAttribute(lambda o: [o.name])


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Proposal
        django_get_or_create = ["slug"]

    conflict = factory.SubFactory(ConflictFactory)
    name = factory.Sequence(lambda n: f"Proposal {n}")
    slug = factory.Sequence(lambda n: f"proposal-{n}")
    kind = models.Proposal.Kind.FULL_CEASEFIRE
    duration_days = 30
    proposed_on = datetime.date(2025, 3, 11)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Participation
        django_get_or_create = ["conflict", "party"]

    conflict = factory.SubFactory(ConflictFactory)
    party = factory.SubFactory(PartyFactory)
    role = models.Participation.Role.BELLIGERENT
    side = factory.LazyAttribute(lambda o: o.party.slug)


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Article

    url = factory.Sequence(lambda n: f"https://news.example.org/story-{n}")
    canonical_url = factory.SelfAttribute("url")
    outlet = "Example News"
    title = factory.Sequence(lambda n: f"Story {n}")
    text = "Leaders spoke about a ceasefire."
    fetch_status = models.Article.FetchStatus.FETCHED
    published_at = BASE_TIME


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Statement

    conflict = factory.SubFactory(ConflictFactory)
    speaker = factory.SubFactory(PartyFactory)
    occurred_at = factory.Sequence(lambda n: BASE_TIME + datetime.timedelta(minutes=n))
    channel = models.Channel.OFFICIAL_STATEMENT
    text = factory.Sequence(lambda n: f"Statement number {n} on the ceasefire.")
    source_url = factory.Sequence(lambda n: f"https://news.example.org/source-{n}")
    source_outlet = "Example News"
    source_title = "A source"
    status = models.Statement.Status.PUBLISHED


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Position

    proposal = factory.SubFactory(ProposalFactory)
    party = factory.SubFactory(PartyFactory)
    stance = models.Stance.SUPPORTS
    as_of = factory.Sequence(lambda n: BASE_TIME + datetime.timedelta(hours=n))


class ConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Condition

    proposal = factory.SubFactory(ProposalFactory)
    set_by = factory.SubFactory(PartyFactory)
    category = models.Condition.Category.HALT_MILITARY_AID
    summary = factory.Sequence(lambda n: f"Condition {n}")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Event

    conflict = factory.SubFactory(ConflictFactory)
    kind = models.Event.Kind.CALL
    title = factory.Sequence(lambda n: f"Event {n}")
    occurred_at = factory.Sequence(lambda n: BASE_TIME + datetime.timedelta(minutes=n))
    source_url = "https://news.example.org/event"


class FeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Feed

    url = factory.Sequence(lambda n: f"http://127.0.0.1:9/feed-{n}.xml")
    name = factory.Sequence(lambda n: f"Feed {n}")
    next_poll_at = factory.LazyFunction(timezone.now)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        for name in extracted or []:
            self.groups.add(Group.objects.get(name=name))


def analyst(**kwargs):
    return UserFactory(groups=["Analysts"], **kwargs)


def editor(**kwargs):
    return UserFactory(groups=["Editors"], is_staff=True, **kwargs)

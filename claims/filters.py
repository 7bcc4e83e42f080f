"""FilterSets shared by the public HTML lists (and later the API)."""

import django_filters
from django import forms
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import Case, Exists, OuterRef, Q, When
from django.db.models.expressions import RawSQL

from .models import Citation, Claim, ClaimLink, Document


def search_document():
    """The claim's weighted text + quote vector, stored by PostgreSQL (migration 0008)."""
    return RawSQL('"claims_claim"."search_document"', [], output_field=SearchVectorField())


class SearchQueryOnce(SearchQuery):
    """The search words' tsquery as a scalar subquery, which PostgreSQL works out once per
    query. In a prepared statement's generic plan the words are a parameter, and the plain
    function call was parsed again for every row matched and ranked (about 4,000 rows for a
    common word at 1,000 documents)."""

    def as_sql(self, compiler, connection, **extra):
        sql, params = super().as_sql(compiler, connection, **extra)
        return f"(SELECT {sql})", params


def contradicted_claims():
    """A subquery: is this claim in a contradiction nobody has rejected?"""
    return Exists(
        ClaimLink.open_contradictions().filter(
            Q(source_claim=OuterRef("pk")) | Q(target_claim=OuterRef("pk"))
        )
    )


class ClaimFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Text contains")
    status = django_filters.MultipleChoiceFilter(
        choices=Claim.Status.choices, widget=forms.CheckboxSelectMultiple, distinct=False
    )
    # A slug, not a choice list: a list of every document grows with the corpus.
    document = django_filters.CharFilter(field_name="answer__document__slug", label="Document slug")
    question = django_filters.NumberFilter(field_name="answer__number", label="Question number")
    kind = django_filters.ChoiceFilter(choices=Claim.Kind.choices)
    checkworthy = django_filters.BooleanFilter(label="Check-worthy")
    has_citation = django_filters.BooleanFilter(
        method="filter_has_citation", label="Has a citation"
    )
    contradicted = django_filters.BooleanFilter(method="filter_contradicted", label="Contradicted")
    sort = django_filters.OrderingFilter(
        fields=(
            ("answer__document__title", "document"),
            ("answer__number", "question"),
            ("status", "status"),
            ("score", "score"),
            ("updated", "updated"),
        ),
        label="Sort by",
    )

    class Meta:
        model = Claim
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if connection.vendor == "postgresql":
            # Full-text matches (claim_search_document_idx) ranked first, then near matches
            # by trigram similarity for misspellings (claim_text_trgm_idx). Similarity is
            # worked out only for the near matches: for every match it cost more than the
            # rest of the search.
            vector = search_document()
            query = SearchQueryOnce(value, search_type="websearch", config="english")
            rank = Case(
                When(search=query, then=SearchRank(vector, query) + 1),
                default=TrigramWordSimilarity(value, "text"),
            )
            return (
                queryset.annotate(search=vector)
                .filter(Q(search=query) | Q(text__trigram_word_similar=value))
                .annotate(rank=rank)
                .order_by("-rank", "id")
            )
        return queryset.filter(Q(text__icontains=value) | Q(quote__icontains=value))

    def filter_has_citation(self, queryset, name, value):
        has = Exists(Citation.objects.filter(claim=OuterRef("pk")))
        return queryset.filter(has if value else ~has)

    def filter_contradicted(self, queryset, name, value):
        contested = contradicted_claims()
        return queryset.filter(contested if value else ~contested)


class ContradictionFilter(django_filters.FilterSet):
    document = django_filters.CharFilter(method="filter_document", label="Document slug")
    state = django_filters.ChoiceFilter(choices=ClaimLink.State.choices)

    class Meta:
        model = ClaimLink
        fields = []

    def filter_document(self, queryset, name, value):
        document = Document.objects.filter(slug=value).values_list("id", flat=True).first()
        return queryset.filter(Q(source_document=document) | Q(target_document=document))

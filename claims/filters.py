"""FilterSets shared by the public HTML lists (and later the API)."""

import django_filters
from django import forms
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Case, Exists, OuterRef, Q, When
from django.db.models.expressions import RawSQL

from .models import Citation, Claim, ClaimLink, Document


def search_document():
    """The claim's weighted text + quote vector, stored by PostgreSQL (migration 0008)."""
    return RawSQL('"claims_claim"."search_document"', [], output_field=SearchVectorField())


# The near-match tsquery for a search string. Each of its words (stop words aside) must be
# matched by one of the words of claims' text (claims_searchword, migration 0016) that fit it
# by trigrams (pg_trgm's `%>`, word similarity, written `%%>` to pass the parameter style), in
# the stemmed form the search column holds: "imigration enforcment" gives 'immigr' & 'enforc'.
# NULL, which matches nothing, when a word fits no word of any claim.
NEAR_WORDS = """(
    SELECT CASE WHEN bool_and(alternatives IS NOT NULL)
        THEN to_tsquery('english', string_agg(alternatives, ' & ')) END
    FROM (
        SELECT '(' || string_agg(DISTINCT word, ' | ') || ')' AS alternatives
        FROM regexp_split_to_table(lower({value}::text), '[^[:alnum:]]+') AS wanted(term)
        LEFT JOIN claims_searchword ON word %%> term
        WHERE numnode(plainto_tsquery('english', term)) > 0
        GROUP BY term
    ) AS per_word
)"""


class NearWordsQuery(SearchQuery):
    """Near matches for misspelled words, as a tsquery that the search column's GIN index
    answers (NEAR_WORDS)."""

    def as_sql(self, compiler, connection, **extra):
        value, params = compiler.compile(self.source_expressions[0])
        return NEAR_WORDS.format(value=value), params


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
            # Full-text matches (claim_search_document_idx) ranked first, then the near
            # matches for misspelled words (NEAR_WORDS). A near match's rank is the corrected
            # words' rank scaled below 1 (normalization 32: rank / (rank + 1)), read from the
            # stored vector. Trigram similarity to each one's text cost about 14 µs a row: a
            # misspelled common word at 1,300 documents took 91 ms that way, 12 ms this way.
            vector = search_document()
            query = SearchQueryOnce(value, search_type="websearch", config="english")
            near = NearWordsQuery(value)
            rank = Case(
                When(search=query, then=SearchRank(vector, query) + 1),
                default=SearchRank(vector, near, normalization=32),
            )
            return (
                queryset.annotate(search=vector)
                .filter(Q(search=query) | Q(search=near))
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

"""The JSON API. Reads are public; writes need a reviewer (or a source admin for sources).

Every write calls the same model method as the review screens, so the rules are the same:
a broken rule answers 400 with the rule's message, a stale version 409.
"""

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from .exports import document_export
from .filters import ClaimFilter
from .models import (
    Citation,
    Claim,
    ClaimLink,
    ClaimRuleError,
    Document,
    Flag,
    Note,
    Source,
    StaleVersion,
)


class CanReview(BasePermission):
    message = "Only reviewers may do this."

    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.has_perm("claims.review_claim")


class CanAddSources(BasePermission):
    message = "Only source admins may add sources."

    def has_permission(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return request.user.is_authenticated and request.user.has_perm("claims.add_source")


# Serializers -------------------------------------------------------------------------------


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["slug", "title", "source_url", "generated_by", "retrieved_on", "imported_at"]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = [
            "id",
            "title",
            "url",
            "publisher",
            "kind",
            "published_on",
            "accessed_on",
            "archive_url",
            "notes",
        ]


class ClaimSerializer(serializers.ModelSerializer):
    """The claim as in the export contract, plus where it sits and its version."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    document = serializers.SlugRelatedField(
        source="answer.document", slug_field="slug", read_only=True
    )
    answer = serializers.IntegerField(source="answer.number", read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "document",
            "answer",
            "start",
            "end",
            "quote",
            "text",
            "checkworthy",
            "kind",
            "status",
            "version",
        ]


class CitationSerializer(serializers.ModelSerializer):
    source = serializers.PrimaryKeyRelatedField(queryset=Source.objects.all())
    source_title = serializers.CharField(source="source.title", read_only=True)
    added_by = serializers.CharField(source="added_by.username", read_only=True, default=None)

    class Meta:
        model = Citation
        fields = [
            "id",
            "source",
            "source_title",
            "stance",
            "quote",
            "locator",
            "added_by",
            "created",
        ]
        read_only_fields = ["id", "created"]


class NoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True, default=None)

    class Meta:
        model = Note
        fields = ["id", "body", "public", "author", "created"]
        read_only_fields = ["id", "created"]


class FlagSerializer(serializers.ModelSerializer):
    raised_by = serializers.CharField(source="raised_by.username", read_only=True, default=None)
    resolved_by = serializers.CharField(source="resolved_by.username", read_only=True, default=None)
    claim = serializers.UUIDField(source="claim.uuid", read_only=True)

    class Meta:
        model = Flag
        fields = [
            "id",
            "claim",
            "reason",
            "comment",
            "raised_by",
            "created",
            "resolved_by",
            "resolved_at",
            "resolution",
        ]
        read_only_fields = ["id", "created", "resolved_at", "resolution"]


class LinkSerializer(serializers.ModelSerializer):
    source = serializers.UUIDField(source="source_claim.uuid", read_only=True)
    target = serializers.UUIDField(source="target_claim.uuid", read_only=True)

    class Meta:
        model = ClaimLink
        fields = ["id", "source", "target", "relation", "origin", "state", "score", "rule", "note"]


class HistorySerializer(serializers.Serializer):
    old_status = serializers.CharField()
    new_status = serializers.CharField()
    by = serializers.CharField(source="by.username", default=None)
    note = serializers.CharField()
    created = serializers.DateTimeField()


class ClaimDetailSerializer(ClaimSerializer):
    citations = CitationSerializer(many=True, read_only=True)
    notes = NoteSerializer(many=True, read_only=True, source="public_notes")
    history = HistorySerializer(many=True, read_only=True, source="status_changes")
    links = serializers.SerializerMethodField()

    class Meta(ClaimSerializer.Meta):
        fields = [*ClaimSerializer.Meta.fields, "citations", "notes", "history", "links"]

    def get_links(self, claim) -> list[dict]:
        links = ClaimLink.objects.filter(Q(source_claim=claim) | Q(target_claim=claim))
        return LinkSerializer(links.select_related("source_claim", "target_claim"), many=True).data


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Claim.Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField()


class NoteInSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField()


# Views -------------------------------------------------------------------------------------


def _detail(claim):
    claim = (
        Claim.objects.select_related("answer__document")
        .prefetch_related(
            Prefetch("citations", queryset=Citation.objects.select_related("source", "added_by")),
            Prefetch("notes", queryset=Note.objects.filter(public=True), to_attr="public_notes"),
            "status_changes__by",
        )
        .get(pk=claim.pk)
    )
    return ClaimDetailSerializer(claim).data


def _refused(exc):
    code = (
        status.HTTP_409_CONFLICT if isinstance(exc, StaleVersion) else status.HTTP_400_BAD_REQUEST
    )
    return Response({"detail": str(exc)}, status=code)


@extend_schema(responses=DocumentSerializer(many=True))
@api_view(["GET"])
def documents(request):
    return Response(DocumentSerializer(Document.objects.order_by("slug"), many=True).data)


@extend_schema(responses=dict)
@api_view(["GET"])
def document(request, slug):
    return Response(document_export(get_object_or_404(Document, slug=slug)))


@extend_schema(responses=ClaimSerializer(many=True), filters=True)
@api_view(["GET"])
def claims(request):
    queryset = Claim.objects.live().select_related("answer__document").order_by("id")
    filtered = ClaimFilter(request.GET, queryset=queryset)
    if not filtered.is_valid():
        return Response(filtered.errors, status=status.HTTP_400_BAD_REQUEST)
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(filtered.qs, request)
    return paginator.get_paginated_response(ClaimSerializer(page, many=True).data)


@extend_schema(responses=ClaimDetailSerializer)
@api_view(["GET"])
def claim(request, uuid):
    return Response(_detail(get_object_or_404(Claim, uuid=uuid)))


@extend_schema(request=SourceSerializer, responses=SourceSerializer(many=True))
@api_view(["GET", "POST"])
@permission_classes([CanAddSources])
def sources(request):
    if request.method == "POST":
        serializer = SourceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(serializer.data, status=status.HTTP_201_CREATED)
    return Response(SourceSerializer(Source.objects.order_by("title"), many=True).data)


@extend_schema(request=StatusChangeSerializer, responses=ClaimDetailSerializer)
@api_view(["POST"])
@permission_classes([CanReview])
def claim_status(request, uuid):
    target = get_object_or_404(Claim, uuid=uuid)
    body = StatusChangeSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    try:
        target.set_status(
            body.validated_data["status"],
            by=request.user,
            note=body.validated_data["note"],
            version=body.validated_data["version"],
        )
    except ClaimRuleError as exc:
        return _refused(exc)
    return Response(_detail(target))


def _create_for_claim(request, uuid, serializer_class, owner):
    target = get_object_or_404(Claim, uuid=uuid)
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    serializer.save(claim=target, **{owner: request.user})
    return Response(serializer.data, status=status.HTTP_201_CREATED)


@extend_schema(request=CitationSerializer, responses={201: CitationSerializer})
@api_view(["POST"])
@permission_classes([CanReview])
def claim_citations(request, uuid):
    return _create_for_claim(request, uuid, CitationSerializer, "added_by")


@extend_schema(request=NoteSerializer, responses={201: NoteSerializer})
@api_view(["POST"])
@permission_classes([CanReview])
def claim_notes(request, uuid):
    return _create_for_claim(request, uuid, NoteSerializer, "author")


@extend_schema(request=FlagSerializer, responses={201: FlagSerializer})
@api_view(["POST"])
@permission_classes([CanReview])
def claim_flags(request, uuid):
    return _create_for_claim(request, uuid, FlagSerializer, "raised_by")


@extend_schema(request=ResolveSerializer, responses=FlagSerializer)
@api_view(["POST"])
@permission_classes([CanReview])
def flag_resolve(request, pk):
    flag = get_object_or_404(Flag.objects.select_related("claim"), pk=pk)
    body = ResolveSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    try:
        flag.resolve(by=request.user, resolution=body.validated_data["resolution"])
    except ClaimRuleError as exc:
        return _refused(exc)
    return Response(FlagSerializer(flag).data)


@extend_schema(request=NoteInSerializer, responses=LinkSerializer)
@api_view(["POST"])
@permission_classes([CanReview])
def link_confirm(request, pk):
    return _decide(request, pk, "confirm")


@extend_schema(request=NoteInSerializer, responses=LinkSerializer)
@api_view(["POST"])
@permission_classes([CanReview])
def link_reject(request, pk):
    return _decide(request, pk, "reject")


def _decide(request, pk, decision):
    link = get_object_or_404(
        ClaimLink.objects.select_related("source_claim", "target_claim"), pk=pk
    )
    body = NoteInSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    try:
        if decision == "confirm":
            link.confirm(by=request.user, note=body.validated_data["note"])
        else:
            link.reject(by=request.user, note=body.validated_data["note"])
    except ClaimRuleError as exc:
        return _refused(exc)
    return Response(LinkSerializer(link).data)

from django import forms
from django.conf import settings
from django.db.models import Q

from .importer import FaqError, import_faq
from .models import Citation, Claim, Flag, Note, Source


class ImportForm(forms.Form):
    """Import an FAQ from an uploaded file or pasted text (one of the two)."""

    slug = forms.SlugField(max_length=100)
    title = forms.CharField(max_length=300, required=False)
    source_url = forms.URLField(max_length=1000, required=False, assume_scheme="https")
    generated_by = forms.CharField(max_length=200, required=False)
    retrieved_on = forms.DateField(required=False, help_text="YYYY-MM-DD")
    # An empty file reaches the importer, which says so the way the command does.
    file = forms.FileField(required=False, allow_empty_file=True)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 14}), required=False)

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), data.get("text", "")
        if upload and text.strip():
            raise forms.ValidationError("Give a file or pasted text, not both.", code="both")
        if not upload and not text.strip():
            raise forms.ValidationError("Give a file or paste the text.", code="none")
        if upload:
            limit = settings.CLAIMS_MAX_IMPORT_BYTES
            if upload.size > limit:
                raise forms.ValidationError(
                    f"The file is {upload.size:,} bytes; the import limit is {limit:,} bytes.",
                    code="too_big",
                )
            data["content"] = upload.read()
        else:
            data["content"] = text.encode("utf-8")
        return data

    def save(self):
        """Run the import. Returns the ImportResult, or None with the error added to the form."""
        data = self.cleaned_data
        try:
            return import_faq(
                data["content"],
                slug=data["slug"],
                title=data["title"],
                source_url=data["source_url"],
                generated_by=data["generated_by"],
                retrieved_on=data["retrieved_on"],
            )
        except FaqError as exc:
            self.add_error(None, forms.ValidationError(str(exc), code="import"))
            return None


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Claim.Status.choices)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class CitationForm(forms.ModelForm):
    class Meta:
        model = Citation
        fields = ["source", "stance", "quote", "locator"]
        widgets = {"quote": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, source_query="", **kwargs):
        super().__init__(*args, **kwargs)
        sources = Source.objects.order_by("title")
        if source_query:
            sources = sources.filter(
                Q(title__icontains=source_query)
                | Q(publisher__icontains=source_query)
                | Q(url__icontains=source_query)
            )
        self.fields["source"].queryset = sources


class NoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ["body", "public"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}
        labels = {"public": "Public (shown on the claim's page)"}


class FlagForm(forms.ModelForm):
    class Meta:
        model = Flag
        fields = ["reason", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 2})}


class ResolveForm(forms.Form):
    resolution = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class LinkDecisionForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class EditForm(forms.Form):
    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=1)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class SplitForm(forms.Form):
    at = forms.IntegerField(min_value=1, label="Split at offset")
    version = forms.IntegerField(widget=forms.HiddenInput)


class MergeForm(forms.Form):
    other = forms.UUIDField(label="Merge with claim (its id)")
    version = forms.IntegerField(widget=forms.HiddenInput)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class BulkForm(forms.Form):
    ACTIONS = [("in_review", "Mark in review"), ("not_claim", "Mark not a claim")]
    action = forms.ChoiceField(choices=ACTIONS)
    claims = forms.ModelMultipleChoiceField(
        queryset=Claim.objects.live(), to_field_name="uuid", widget=forms.MultipleHiddenInput
    )

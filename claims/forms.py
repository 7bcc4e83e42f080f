from django import forms
from django.conf import settings

from .importer import FaqError, import_faq


class ImportForm(forms.Form):
    """Import an FAQ from an uploaded file or pasted text (one of the two)."""

    slug = forms.SlugField(max_length=100)
    title = forms.CharField(max_length=300, required=False)
    source_url = forms.URLField(max_length=1000, required=False, assume_scheme="https")
    generated_by = forms.CharField(max_length=200, required=False)
    retrieved_on = forms.DateField(required=False, help_text="YYYY-MM-DD")
    file = forms.FileField(required=False)
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

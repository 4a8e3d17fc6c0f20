"""Data: the General Practice Forward View funding streams and their per-head rates."""

from django.db import migrations


def load(apps, schema_editor):
    from commissioning.funding.streams import load_funding_streams

    load_funding_streams(apps.get_model("commissioning", "FundingStream"), apps.get_model("commissioning", "StreamRate"))


def unload(apps, schema_editor):
    from commissioning.funding.streams import STREAMS

    FundingStream = apps.get_model("commissioning", "FundingStream")
    codes = [spec.code for spec in STREAMS]
    apps.get_model("commissioning", "StreamRate").objects.filter(stream__code__in=codes).delete()
    # Streams with allocations or schemes are kept (PROTECT): undoing the data never deletes money.
    FundingStream.objects.filter(code__in=codes, allocations__isnull=True, schemes__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("commissioning", "0003_funding")]
    operations = [migrations.RunPython(load, unload)]

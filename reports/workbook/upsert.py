"""Insert-or-update many rows in a few statements (INSERT ... ON CONFLICT DO UPDATE), writing
only rows whose values differ from the database, each stamped with who and when."""

from collections.abc import Iterable, Mapping

from django.db import connection

from reports.workbook.context import ImportContext, SheetCounts, chunks, values_in

BATCH_SIZE = 2000


def upsert(
    ctx: ImportContext,
    *,
    model,
    unique: tuple[str, ...],
    records: Iterable[dict],
    existing: Mapping[tuple, dict],
    compare: Iterable[str],
    counts: SheetCounts,
    force: frozenset | set = frozenset(),
) -> dict[tuple, int]:
    """Write `records` (attname -> value, the `unique` fields included) and return key -> id.

    A record whose key is in `existing` is updated only when one of the `compare` fields
    differs (or its key is in `force`); other fields keep what the database has.
    """
    unique_att = tuple(model._meta.get_field(f).attname for f in unique)
    compare = [f for f in compare if f not in unique_att]
    ids: dict[tuple, int] = {}
    to_write = []
    for record in records:
        key = tuple(record[a] for a in unique_att)
        old = existing.get(key)
        if old is not None:
            ids[key] = old["id"]
            if key not in force and all(old[f] == record[f] for f in compare):
                counts.unchanged += 1
                continue
            counts.updated += 1
        else:
            counts.created += 1
        to_write.append(
            {
                **record,
                "created_at": ctx.now,
                "created_by_id": ctx.user_id,
                "updated_at": ctx.now,
                "updated_by_id": ctx.user_id,
            }
        )
    if to_write:
        update = [*compare, "updated_at", "updated_by_id"]
        write = _pg_upsert if connection.vendor == "postgresql" else _orm_upsert
        ids.update(write(model, unique_att, update, to_write))
    return ids


def _orm_upsert(model, unique_att: tuple, update: list[str], rows: list[dict]) -> dict:
    objs = [model(**row) for row in rows]
    model.objects.bulk_create(
        objs,
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=list(unique_att),
        update_fields=update,
    )
    ids, missing = {}, []
    for obj in objs:
        key = tuple(getattr(obj, a) for a in unique_att)
        if obj.pk is None:
            missing.append(key)
        else:
            ids[key] = obj.pk
    if missing:  # a backend that does not return ids from an upsert
        wanted = set(missing)
        for row in values_in(
            model.objects.order_by(), unique_att[0], {k[0] for k in missing}, "id", *unique_att
        ):
            key = tuple(row[a] for a in unique_att)
            if key in wanted:
                ids[key] = row["id"]
    return ids


def _pg_upsert(model, unique_att: tuple, update: list[str], rows: list[dict]) -> dict:
    """The same statement bulk_create(update_conflicts=True) sends, built with psycopg's own
    quoting: Django's per-value preparation is most of the time of a 50,000-row import."""
    qn = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    names = [f.attname for f in fields]
    column = {f.attname: qn(f.column) for f in fields}
    prefix = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(column[n] for n in names)}) VALUES "
    )
    suffix = (
        f" ON CONFLICT ({', '.join(column[a] for a in unique_att)}) DO UPDATE SET "
        + ", ".join(f"{column[a]} = EXCLUDED.{column[a]}" for a in update)
        + f" RETURNING {qn(model._meta.pk.column)}, "
        + ", ".join(column[a] for a in unique_att)
    )
    template = "(" + ", ".join(["%s"] * len(names)) + ")"
    ids = {}
    with connection.cursor() as cursor:
        mogrify = cursor.cursor.mogrify
        for batch in chunks(rows, BATCH_SIZE):
            values = b", ".join(
                mogrify(template, [row.get(n, defaults[n]) for n in names]) for row in batch
            )
            cursor.execute(prefix + values.decode() + suffix)
            for pk, *key in cursor.fetchall():
                ids[tuple(key)] = pk
    return ids

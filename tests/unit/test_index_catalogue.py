"""The indexes `db check` proposes: one for every column a lazy table sorts or searches by, and the
finance dashboard's partial indexes with the very predicates its views use."""

from __future__ import annotations

from backoffice.migrations.money_0004 import views
from backoffice.owner.index_catalogue import RECOMMENDED_INDEXES
from backoffice.services.browse import SOURCES


def _proposed(table: str, columns: tuple[str, ...], method: str = "btree") -> bool:
    return any(
        i.table == table and i.columns[: len(columns)] == columns and i.method == method
        for i in RECOMMENDED_INDEXES
        if i.where is None and not i.include
    )


def test_every_column_a_clinic_table_page_sorts_or_searches_by_has_an_index():
    missing = []
    for source in SOURCES.values():
        if source.table.schema not in (None, "public"):
            continue
        table, key = source.table.name, source.key
        for column in source.columns:
            if column.name == key or column.expression is not None:
                continue
            if column.sortable and not _proposed(table, (column.name, key)):
                missing.append(f"{table}.{column.name} sorted")
            if column.search == "substring" and not _proposed(table, (column.name,), "gin_trgm"):
                missing.append(f"{table}.{column.name} searched")
            if column.search == "exact" and not _proposed(table, (column.name,)):
                missing.append(f"{table}.{column.name} looked up")
    assert missing == []


def test_the_payments_search_of_issue_14_is_proposed():
    assert _proposed("payments", ("invitee_name",), "gin_trgm")
    assert _proposed("payments", ("payment_reference_id",))
    assert _proposed("bookings", ("invitee_name",), "gin_trgm")


def test_the_dashboards_partial_indexes_use_its_views_predicates_word_for_word():
    partial = {i.name: i for i in RECOMMENDED_INDEXES if i.where is not None}
    assert set(partial) == {
        "bo_payments_refund_fields",
        "bo_bookings_refund_fields",
        "bo_payments_refund_failed",
    }
    says = ["".join(i.where.split()) for n, i in partial.items() if n.endswith("_fields")]
    view = "".join(views.MISMATCHES.replace("p.", "").replace("b.", "").split())
    assert all(predicate in view for predicate in says)
    failed = partial["bo_payments_refund_failed"].where
    assert failed in views.FAILED.replace("p.", "")
    assert len({i.name for i in RECOMMENDED_INDEXES}) == len(RECOMMENDED_INDEXES)
    assert all(len(i.name) <= 63 for i in RECOMMENDED_INDEXES)

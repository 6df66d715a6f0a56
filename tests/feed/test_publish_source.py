"""Loading an authoring directory: records, media, and `FILE:LINE: message` for every problem."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest

from feed.format.limits import Limits
from feed.publish.source import REVIEW_RULE, load_source
from feed.schema import Guide, Headline, Item
from tests.feed.authoring_kit import ITEMS_YAML, PDF_BYTES, PNG_BYTES, edit, problems_of, write_tiny_source


@pytest.fixture
def src(tmp_path: Path) -> Path:
    return write_tiny_source(tmp_path / "src")


def test_tiny_source_loads_with_media_resolved(src: Path) -> None:
    source = load_source(src)
    assert source.feed_id == "tiny-feed"
    assert source.expires_days == 7
    assert source.counts() == {"catalog": 1, "guide": 1, "hall": 1, "headline": 2, "item": 2}
    png, pdf = hashlib.sha256(PNG_BYTES).hexdigest(), hashlib.sha256(PDF_BYTES).hexdigest()
    assert source.blobs == {png: PNG_BYTES, pdf: PDF_BYTES}
    by_id = {record.id: record for record in source.records}
    item_a, item_b, guide = by_id["item-a"], by_id["item-b"], by_id["guide-a"]
    assert isinstance(item_a, Item) and isinstance(item_b, Item) and isinstance(guide, Guide)
    assert item_a.images[0].blob.model_dump() == {
        "sha256": png,
        "size": len(PNG_BYTES),
        "media_type": "image/png",
    }
    blob = item_b.attachments[0].blob
    assert blob is not None and blob.sha256 == pdf and blob.media_type == "application/pdf"
    assert guide.materials[0].blank_form == blob
    storm = by_id["hl-storm"]
    assert isinstance(storm, Headline) and storm.valid_from is not None
    assert storm.valid_from.utcoffset() == timedelta(hours=8)
    assert source.origins[("item", "item-b")].line == 12


def test_schema_error_names_the_line_of_the_bad_value(src: Path) -> None:
    items = src / "items" / "notices.yaml"
    edit(items, "published: 2026-03-01", "published: someday")
    (problem,) = problems_of(src)
    assert problem.startswith(f"{items}:5: item 'item-a': published: Input should be a valid date")


def test_unknown_field_names_its_own_line(src: Path) -> None:
    guide = src / "guides" / "individual.yaml"
    edit(guide, "updated: 2026-02-01\n", "updated: 2026-02-01\ncolour: red\n")
    assert problems_of(src) == [f"{guide}:13: guide 'guide-a': colour: Extra inputs are not permitted"]


def test_missing_field_names_the_record_line(src: Path) -> None:
    items = src / "items" / "notices.yaml"
    edit(items, "  publisher: 青禾市政务服务管理局\n  published: 2026-01-05", "  published: 2026-01-05")
    assert problems_of(src) == [f"{items}:12: item 'item-b': publisher: Field required"]


def test_nested_schema_error_names_the_nested_line(src: Path) -> None:
    guide = src / "guides" / "individual.yaml"
    edit(guide, "  - name: 个体工商户登记申请书\n", "  - name: 个体工商户登记申请书\n    originals: -3\n")
    (problem,) = problems_of(src)
    assert problem.startswith(f"{guide}:11: guide 'guide-a': materials[0].originals: Input should be greater")


def test_duplicate_id_across_files_names_both_places(src: Path) -> None:
    first = src / "items" / "notices.yaml"
    second = src / "items" / "zz-more.yaml"
    second.write_text("# again\n" + ITEMS_YAML.split("\n\n")[0] + "\n", encoding="utf-8")
    assert problems_of(src) == [f"{second}:2: duplicate item id 'item-a' (first at {first}:1)"]


def test_same_id_in_different_kinds_is_fine(src: Path) -> None:
    (src / "headlines.yaml").write_text("- id: item-a\n  text: 同名不同类\n", encoding="utf-8")
    assert load_source(src).counts()["headline"] == 1


def test_unknown_catalogue_node_names_the_node_line(src: Path) -> None:
    items = src / "items" / "notices.yaml"
    edit(items, "node: gov\n", "node: gov.nowhere\n")
    assert problems_of(src) == [f"{items}:13: item 'item-b': node: unknown catalogue node 'gov.nowhere'"]


def test_without_a_catalogue_every_node_is_unknown(src: Path) -> None:
    (src / "catalog.yaml").unlink()
    items = src / "items" / "notices.yaml"
    hint = " (the source has no catalog.yaml)"
    assert problems_of(src) == [
        f"{items}:2: item 'item-a': node: unknown catalogue node 'gov.notice'{hint}",
        f"{items}:13: item 'item-b': node: unknown catalogue node 'gov'{hint}",
    ]


def test_pending_review_is_refused_at_the_status_line(src: Path) -> None:
    items = src / "items" / "notices.yaml"
    edit(items, "    status: approved", "    status: pending")
    assert problems_of(src) == [
        f"{items}:21: item 'item-b': review.status: is 'pending', not 'approved'; {REVIEW_RULE}"
    ]


def test_failed_confidentiality_review_is_refused_at_its_line(src: Path) -> None:
    items = src / "items" / "notices.yaml"
    edit(items, "    confidentiality_checked: true\n", "    confidentiality_checked: false\n")
    assert problems_of(src) == [
        f"{items}:24: item 'item-b': review.confidentiality_checked: "
        f"the confidentiality review (保密审查) has not passed; {REVIEW_RULE}"
    ]


def test_failed_confidentiality_review_in_a_flow_mapping_is_found_too(src: Path) -> None:
    items = src / "items" / "notices.yaml"
    edit(items, "    confidentiality_checked: true}", "    confidentiality_checked: false}")
    (problem,) = problems_of(src)
    assert problem.startswith(f"{items}:10: item 'item-a': review.confidentiality_checked: ")


def test_item_without_review_is_refused(src: Path) -> None:
    items = src / "items" / "notices.yaml"
    text = items.read_text(encoding="utf-8")
    items.write_text(text[: text.index("  review:\n    status")], encoding="utf-8")
    assert problems_of(src) == [f"{items}:12: item 'item-b': review: has no review record; {REVIEW_RULE}"]


@pytest.mark.parametrize(
    ("reference", "reason"),
    [
        ("media/absent.png", "media file 'media/absent.png' does not exist"),
        ("../outside.png", "media path '../outside.png' must not leave the source directory"),
        ("/etc/hostname.png", "media path '/etc/hostname.png' must be relative to the source directory"),
        ("media/map.svg", "media path 'media/map.svg': unknown file type"),
        ("media", "media path 'media': unknown file type"),
    ],
)
def test_unusable_media_is_named_at_the_blob_line(src: Path, reference: str, reason: str) -> None:
    (src.parent / "outside.png").write_bytes(PNG_BYTES)
    items = src / "items" / "notices.yaml"
    edit(items, "blob: media/map.png", f"blob: {reference}")
    (problem,) = problems_of(src)
    assert problem.startswith(f"{items}:7: item 'item-a': images[0].blob: {reason}")


def test_symlink_out_of_the_source_is_refused(src: Path) -> None:
    (src.parent / "secret.png").write_bytes(PNG_BYTES)
    (src / "media" / "link.png").symlink_to(src.parent / "secret.png")
    items = src / "items" / "notices.yaml"
    edit(items, "blob: media/map.png", "blob: media/link.png")
    assert problems_of(src) == [
        f"{items}:7: item 'item-a': images[0].blob: "
        "media path 'media/link.png' points outside the source directory"
    ]


def test_media_over_the_size_bound_is_refused(src: Path) -> None:
    problems = problems_of(src, Limits(blob_bytes=len(PDF_BYTES) - 1))
    items, guide = src / "items" / "notices.yaml", src / "guides" / "individual.yaml"
    assert [p.split(": ", 1)[0] for p in problems] == [f"{items}:7", f"{items}:19", f"{guide}:11"]
    assert all("larger than the" in p for p in problems)


def test_yaml_syntax_error_names_its_line(src: Path) -> None:
    headlines = src / "headlines.yaml"
    headlines.write_text("- id: hl-a\n  text: 欢迎\n - id: hl-b\n", encoding="utf-8")
    (problem,) = problems_of(src)
    assert problem.startswith(f"{headlines}:3: YAML error")


def test_duplicate_yaml_key_names_its_line(src: Path) -> None:
    hall = src / "hall.yaml"
    edit(hall, "address: 民和路88号\n", "address: 民和路88号\nname: 又一个名字\n")
    (problem,) = problems_of(src)
    assert problem.startswith(f"{hall}:4: YAML error") and 'duplicate key "name"' in problem


def test_catalogue_problems_name_the_node_line(src: Path) -> None:
    catalog = src / "catalog.yaml"
    catalog.write_text(
        catalog.read_text(encoding="utf-8")
        + "  - id: gov\n    title: 重复\n    domain: government\n"
        + "  - id: party.x\n    title: 孤儿\n    parent: party\n    domain: party\n",
        encoding="utf-8",
    )
    assert problems_of(src) == [
        f"{catalog}:10: catalog 'tiny-catalog': nodes[2].id: "
        "duplicate catalogue node id 'gov' (first at line 3)",
        f"{catalog}:15: catalog 'tiny-catalog': nodes[3].parent: unknown parent node 'party'",
    ]


def test_a_declared_kind_must_match_the_folder(src: Path) -> None:
    guide = src / "guides" / "individual.yaml"
    guide.write_text("kind: item\n" + guide.read_text(encoding="utf-8"), encoding="utf-8")
    assert problems_of(src) == [
        f"{guide}:1: guide 'guide-a': kind: is 'item' but files here hold 'guide' records"
    ]


def test_missing_feed_yaml(src: Path) -> None:
    (src / "feed.yaml").unlink()
    assert problems_of(src) == [
        f"{src / 'feed.yaml'}: missing: the source needs a feed.yaml with at least feed_id"
    ]


def test_bad_feed_yaml_value(src: Path) -> None:
    (src / "feed.yaml").write_text("feed_id: tiny-feed\nexpires_days: 0\n", encoding="utf-8")
    (problem,) = problems_of(src)
    assert problem.startswith(
        f"{src / 'feed.yaml'}:2: expires_days: Input should be greater than or equal to 1"
    )


def test_every_problem_is_listed_in_one_run(src: Path) -> None:
    items = src / "items" / "notices.yaml"
    edit(items, "blob: media/map.png", "blob: media/absent.png")
    edit(items, "node: gov\n", "node: gov.nowhere\n")
    edit(items, "    status: approved", "    status: draft")
    problems = problems_of(src)
    assert [p.split(": ", 1)[0] for p in problems] == [f"{items}:7", f"{items}:21", f"{items}:13"]


def test_non_utf8_file_is_named_with_its_line(src: Path) -> None:
    headlines = src / "headlines.yaml"
    headlines.write_bytes("- id: hl-a\n  text: 欢迎\n".encode() + "- id: hl-b\n  text: 再见\n".encode("gbk"))
    (problem,) = problems_of(src)
    assert problem == f"{headlines}:4: file is not valid UTF-8"

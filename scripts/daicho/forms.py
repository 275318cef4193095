"""The office's forms (checklist, inspection sheet, safety measures, 特記仕様書 articles, letter
wording, the PPC report's items) as data.

They live in ``schemas/forms/*.yaml`` so the office can reword a form by pull request; the
schemas, the validator and the site all read them through this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from daicho import errors, memo, yamlio


@dataclass(frozen=True)
class Forms:
    checklist: dict[str, Any]
    inspection: dict[str, Any]
    safety: dict[str, Any]
    special_terms: dict[str, Any]  # 特記仕様書 (資料4) and 別記 (資料5), article by article
    letters: dict[str, Any]  # letter templates by kind
    ppc: dict[str, Any]  # the items of the PPC 漏えい等報告, in its order

    @property
    def questions(self) -> list[dict[str, Any]]:
        return self.checklist["問"]

    @property
    def inspection_items(self) -> list[dict[str, Any]]:
        return self.inspection["項目"]

    @property
    def verdicts(self) -> list[str]:
        return self.inspection["判定"]

    @property
    def safety_groups(self) -> list[dict[str, Any]]:
        return self.safety["区分"]


def _read(path: Path, schema_dir: Path) -> dict[str, Any]:
    try:
        return yamlio.load_bytes(path.read_bytes()).data
    except yamlio.LoadError as exc:  # a broken form is a broken installation: say where
        raise errors.from_load_error(errors.shown(path, schema_dir), exc) from None
    except OSError as exc:
        raise errors.DaichoError("E-FORM-READ", f"様式のファイルを読めません（{exc.strerror}）",
                                 errors.shown(path, schema_dir)) from None


@memo.by_folder  # `mkdocs serve` sees edits to schemas/
def load_forms(schema_dir: Path) -> Forms:
    forms = schema_dir / "forms"
    return Forms(
        checklist=_read(forms / "checklist.yaml", schema_dir),
        inspection=_read(forms / "inspection_items.yaml", schema_dir),
        safety=_read(forms / "safety_measures.yaml", schema_dir),
        special_terms=_read(forms / "special_terms.yaml", schema_dir),
        letters=_read(forms / "letters.yaml", schema_dir),
        ppc=_read(forms / "ppc_report.yaml", schema_dir),
    )


def subschema(form: str, forms: Forms) -> dict[str, Any]:
    """The JSON Schema that an ``x-daicho-form`` placeholder stands for."""
    if form == "checklist":
        return {
            "type": "object",
            "additionalProperties": False,
            "required": [forms.questions[0]["id"]],
            "properties": {
                q["id"]: {"title": q["id"], "description": q["文言"], "type": "string",
                          "enum": q["選択肢"]}
                for q in forms.questions
            },
        }
    if form == "inspection_items":
        return {
            "type": "object",
            "additionalProperties": False,
            "required": [i["id"] for i in forms.inspection_items],
            "properties": {
                i["id"]: {
                    "title": i["id"],
                    "description": f"No.{i['No']} {i['点検項目']}: {i['点検事項']}",
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["判定"],
                    "properties": {
                        "判定": {"title": "判定", "description": "実施状況（適/否）。",
                                 "type": "string", "enum": forms.verdicts},
                        "備考": {"title": "備考", "description": "否の理由や指摘事項。",
                                 "type": "string"},
                    },
                }
                for i in forms.inspection_items
            },
        }
    if form == "safety_measures":
        props: dict[str, Any] = {
            g["id"]: {
                "title": g["id"],
                "description": f"{g['名称']}: チェックした項目の id の一覧。",
                "type": "array",
                "uniqueItems": True,
                "items": {"type": "string", "enum": [m["id"] for m in g["項目"]]},
            }
            for g in forms.safety_groups
        }
        # 第2号様式 has an 「その他」 line in each group: one free text per group id.
        props["その他"] = {
            "title": "その他", "description": "区分ごとの「その他」の措置（自由記述）。キーは区分の id。",
            "type": "object", "additionalProperties": False,
            "properties": {g["id"]: {"title": g["id"], "description": f"{g['名称']}のその他の措置。",
                                     "type": "string", "minLength": 1}
                           for g in forms.safety_groups},
        }
        return {"type": "object", "additionalProperties": False, "properties": props}
    raise KeyError(form)

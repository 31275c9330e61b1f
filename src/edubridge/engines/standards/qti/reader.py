"""Read a QTI 3.0 ``qti-assessment-item`` into the EduBridge JSON item format.

Items written by :mod:`.writer` come back exactly (in canonical form, see
:func:`~edubridge.engines.standards.items.normalize_item`). Items from other tools are read
when they hold one supported interaction; their body is flattened to plain text (block elements
become lines, whitespace is collapsed, an inline text entry becomes ``____``). Anything EduBridge
items cannot hold raises :class:`UnsupportedItemError` naming the element and line.
"""

from __future__ import annotations

import json
import re
from typing import Any

from lxml import etree

from edubridge.engines.standards.errors import (
    ExpressionError,
    ItemFormatError,
    Problem,
    QtiError,
    StandardsError,
    UnsupportedItemError,
)
from edubridge.engines.standards.expression import canonical_expression, evaluate
from edubridge.engines.standards.items import normalize_item, validate_item
from edubridge.engines.standards.qti.expressions import (
    format_number,
    parse_number,
    qti_to_expression,
    random_rule_from_qti,
)
from edubridge.engines.standards.qti.names import (
    ALL_INTERACTIONS,
    EXTRAS_ATTRIBUTE,
    EXTRAS_FORMAT,
    SUPPORTED_INTERACTIONS,
    XML,
    q,
)
from edubridge.engines.standards.qti.structure import check_item_structure
from edubridge.engines.standards.text import words
from edubridge.engines.standards.xmlsafe import parse_xml

BLANK = "____"
_BLOCK = frozenset(
    words(
        "p div blockquote li ul ol h1 h2 h3 h4 h5 h6 table thead tbody tfoot tr caption section "
        "article aside header footer nav pre figure figcaption dl dt dd hr address details summary "
        "qti-prompt qti-content-body qti-rubric-block"
    )
)
_SKIP = frozenset(
    words(
        "qti-feedback-block qti-feedback-inline qti-modal-feedback qti-stylesheet script style "
        "qti-catalog-info object audio video track source"
    )
)
_WS = re.compile(r"\s+")


def local(element: etree._Element) -> str:
    """The local name of an element (without namespace)."""
    return str(etree.QName(element).localname)


def _unsupported(element: etree._Element | None, what: str, file: str) -> UnsupportedItemError:
    where = f"line {element.sourceline}" if element is not None else ""
    return UnsupportedItemError(Problem(where, what), file=file)


def read_item_xml(
    data: bytes, *, file: str = "item.xml", default_language: str = "und"
) -> dict[str, Any]:
    """Parse QTI 3 XML bytes into a valid JSON item; errors name ``file``, line and problem."""
    return item_from_element(
        parse_xml(data, file=file), file=file, default_language=default_language
    )


def item_from_element(
    root: etree._Element, *, file: str = "item.xml", default_language: str = "und"
) -> dict[str, Any]:
    """The JSON item for a parsed ``qti-assessment-item`` element."""
    problems = check_item_structure(root)
    if problems:
        raise QtiError(problems, file=file)
    try:
        return _Reader(root, file, default_language).read()
    except StandardsError as exc:
        if exc.file is None:  # raised by a helper that does not know the file name
            raise type(exc)(exc.problems, file=file) from None
        raise


class _Reader:
    def __init__(self, root: etree._Element, file: str, default_language: str) -> None:
        self.root = root
        self.file = file
        self.default_language = default_language
        body = root.find(q("qti-item-body"))
        if body is None:
            raise _unsupported(root, "item has no qti-item-body", file)
        self.body = body
        self.extras = self._extras()
        self.exact = bool(self.extras)
        self.template_values: dict[str, int | float] = {}

    # ------------------------------------------------------------------ helpers
    def _extras(self) -> dict[str, Any]:
        raw = self.body.get(EXTRAS_ATTRIBUTE)
        if raw is None:
            return {}
        try:
            extras = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise QtiError(
                Problem(
                    f"line {self.body.sourceline}", f"{EXTRAS_ATTRIBUTE} is not JSON: {exc.msg}"
                ),
                file=self.file,
            ) from None
        if not isinstance(extras, dict) or extras.get("format") != EXTRAS_FORMAT:
            raise QtiError(
                Problem(
                    f"line {self.body.sourceline}", f"{EXTRAS_ATTRIBUTE} is not {EXTRAS_FORMAT}"
                ),
                file=self.file,
            )
        return extras

    def text(self, element: etree._Element, *, join: str = "\n") -> str:
        """Plain text of an element: exact for EduBridge output, flattened otherwise."""
        if self.exact:
            return self._exact_text(element)
        return join.join(self._lines(element))

    def _exact_text(self, element: etree._Element) -> str:
        parts = [element.text or ""]
        for child in element:
            if isinstance(child.tag, str):
                if local(child) == "qti-printed-variable":
                    parts.append(self._printed(child))
                else:
                    parts.append(self._exact_text(child))
            parts.append(child.tail or "")
        return "".join(parts)

    def _printed(self, element: etree._Element) -> str:
        name = element.get("identifier", "")
        if name not in self.template_values:
            raise _unsupported(
                element, f"printed variable {name!r} is not a template variable", self.file
            )
        return format_number(self.template_values[name])

    def _lines(self, element: etree._Element) -> list[str]:
        buffer: list[str] = []
        self._walk(element, buffer, top=True)
        lines = (_WS.sub(" ", line).strip() for line in "".join(buffer).split("\n"))
        return [line for line in lines if line]

    def _walk(self, element: etree._Element, out: list[str], *, top: bool = False) -> None:
        name = local(element) if isinstance(element.tag, str) else ""
        if not top:
            if name in _SKIP or (name in ALL_INTERACTIONS and name != "qti-text-entry-interaction"):
                out.append(element.tail or "")
                return
            if name == "qti-text-entry-interaction":
                out.append(BLANK + (element.tail or ""))
                return
            if name == "qti-printed-variable":
                out.append(self._printed(element) + (element.tail or ""))
                return
            if name == "br":
                out.append("\n" + (element.tail or ""))
                return
            if name == "img":
                out.append((element.get("alt") or "") + (element.tail or ""))
                return
            if "edubridge-response" in (element.get("class") or "").split():
                out.append(element.tail or "")
                return
        block = name in _BLOCK
        if block:
            out.append("\n")
        out.append(element.text or "")
        for child in element:
            if isinstance(child.tag, str):
                self._walk(child, out)
            else:
                out.append(child.tail or "")
        if block:
            out.append("\n")
        if not top:
            out.append(element.tail or "")

    # ------------------------------------------------------------------ reading
    def read(self) -> dict[str, Any]:
        interaction_el = self._the_interaction()
        response_id = interaction_el.get("response-identifier", "")
        declaration = self._declaration(response_id, interaction_el)
        self._read_template_values()
        item: dict[str, Any] = {
            "id": self.root.get("identifier", ""),
            "format": "edubridge-item/1",
            "language": self.root.get(f"{{{XML}}}lang") or self.default_language,
        }
        if not self.extras.get("untitled") and self.root.get("title"):
            item["title"] = self.root.get("title", "")
        item["stem"] = self._stem()
        kind, interaction = self._interaction(interaction_el, declaration)
        item["interaction"] = interaction
        if not item["stem"] and interaction.get("prompt"):
            # Items that put the whole question in the prompt: the prompt is the stem.
            item["stem"] = interaction.pop("prompt")
        values = self._correct_values(declaration, kind)
        scoring = self._scoring(declaration, kind, interaction, values, response_id)
        item["correct_response"] = {"values": values}
        item["scoring"] = scoring
        template = self._template()
        if template:
            item["template"] = template
            if kind == "numeric_entry" and not values:
                current = {k: v["value"] for k, v in template["variables"].items()}
                item["correct_response"]["values"] = [evaluate(template["answer"], current)]
        feedback, hints = self._feedback()
        if feedback:
            item["feedback"] = feedback
        if hints:
            item["hints"] = hints
        for key, value in self.extras.items():
            if key not in ("format", "answer", "untitled", "map_entry"):
                item[key] = value
        try:
            return normalize_item(validate_item(item))
        except ItemFormatError as exc:
            raise QtiError(exc.problems, file=self.file) from None

    def _the_interaction(self) -> etree._Element:
        found = [
            el
            for el in self.body.iter()
            if isinstance(el.tag, str) and local(el) in ALL_INTERACTIONS
        ]
        if not found:
            raise _unsupported(self.body, "the item body has no interaction", self.file)
        unsupported = [el for el in found if local(el) not in SUPPORTED_INTERACTIONS]
        if unsupported:
            el = unsupported[0]
            raise _unsupported(el, f"<{local(el)}> is not supported by EduBridge items", self.file)
        if len(found) > 1:
            raise _unsupported(
                found[1],
                f"the item has {len(found)} interactions; EduBridge items hold exactly one",
                self.file,
            )
        return found[0]

    def _declaration(self, response_id: str, at: etree._Element) -> etree._Element:
        for decl in self.root.findall(q("qti-response-declaration")):
            if decl.get("identifier") == response_id:
                return decl
        raise QtiError(
            Problem(f"line {at.sourceline}", f"response {response_id!r} is not declared"),
            file=self.file,
        )

    def _stem(self) -> str:
        if self.exact:
            lines = [
                self._exact_text(p) for p in self.body if isinstance(p.tag, str) and local(p) == "p"
            ]
            return "\n".join(lines)
        return "\n".join(self._lines(self.body))

    def _choice_list(self, parent: etree._Element, tag: str) -> list[dict[str, str]]:
        choices = []
        for el in parent.iter(q(tag)):
            text = self.text(el, join=" ")
            if not (text if self.exact else text.strip()):
                raise _unsupported(el, f"choice {el.get('identifier')!r} has no text", self.file)
            choices.append({"id": el.get("identifier", ""), "text": text})
        return choices

    def _interaction(
        self, el: etree._Element, declaration: etree._Element
    ) -> tuple[str, dict[str, Any]]:
        name = local(el)
        cardinality = declaration.get("cardinality", "single")
        base_type = declaration.get("base-type", "")
        result: dict[str, Any] = {}
        prompt_el = el.find(q("qti-prompt"))
        if name == "qti-choice-interaction":
            kind = "multiple_response" if cardinality == "multiple" else "choice"
            result["choices"] = self._choice_list(el, "qti-simple-choice")
            result["shuffle"] = el.get("shuffle") == "true"
            if kind == "multiple_response":
                result["max_choices"] = int(el.get("max-choices", "0"))
        elif name == "qti-order-interaction":
            kind = "order"
            result["choices"] = self._choice_list(el, "qti-simple-choice")
            result["shuffle"] = el.get("shuffle") == "true"
        elif name == "qti-match-interaction":
            kind = "match"
            sets = el.findall(q("qti-simple-match-set"))
            if len(sets) != 2:
                raise _unsupported(
                    el, "a match interaction needs two qti-simple-match-set", self.file
                )
            result["source"] = self._choice_list(sets[0], "qti-simple-associable-choice")
            result["target"] = self._choice_list(sets[1], "qti-simple-associable-choice")
            result["shuffle"] = el.get("shuffle") == "true"
            result["max_associations"] = int(el.get("max-associations", "0"))
        elif name == "qti-extended-text-interaction":
            kind = "extended_text"
            if el.get("expected-lines"):
                result["expected_lines"] = int(el.get("expected-lines", "1"))
        else:  # qti-text-entry-interaction
            kind = "numeric_entry" if base_type in ("float", "integer") else "text_entry"
            holder = el.getparent()
            ours = (
                holder is not None and "edubridge-response" in (holder.get("class") or "").split()
            )
            if ours and holder is not None:
                for span in holder.iter(q("span")):
                    role = span.get("class")
                    if role == "edubridge-prompt":
                        prompt_el = span
                    elif role == "edubridge-unit" and kind == "numeric_entry":
                        result["unit"] = self.text(span)
            if kind == "text_entry" and el.get("expected-length"):
                result["expected_length"] = int(el.get("expected-length", "1"))
        if cardinality == "record" or base_type not in (
            "identifier",
            "directedPair",
            "string",
            "float",
            "integer",
        ):
            raise _unsupported(
                declaration, f"response base-type {base_type!r} is not supported", self.file
            )
        interaction: dict[str, Any] = {"type": kind}
        if prompt_el is not None:
            prompt = self.text(prompt_el)
            if prompt:
                interaction["prompt"] = prompt
        interaction.update(result)
        return kind, interaction

    def _correct_values(self, declaration: etree._Element, kind: str) -> list[Any]:
        correct = declaration.find(q("qti-correct-response"))
        if correct is None or kind == "extended_text":
            return []
        texts = [(v.text or "").strip() for v in correct.findall(q("qti-value"))]
        if kind == "numeric_entry":
            try:
                return [parse_number(t) for t in texts]
            except ValueError:
                raise QtiError(
                    Problem(
                        f"line {correct.sourceline}", f"correct response {texts} is not a number"
                    ),
                    file=self.file,
                ) from None
        if kind == "match":
            return [" ".join(t.split()) for t in texts]
        return texts

    def _scoring(
        self,
        declaration: etree._Element,
        kind: str,
        interaction: dict[str, Any],
        values: list[Any],
        response_id: str,
    ) -> dict[str, Any]:
        rp = self.root.find(q("qti-response-processing"))
        mapping_el = declaration.find(q("qti-mapping"))
        method = "match_correct"
        if rp is None:
            method = "human" if kind == "extended_text" else "match_correct"
        else:
            template = rp.get("template") or rp.get("template-location") or ""
            template_name = template.rstrip("/").removesuffix(".xml").rsplit("/", 1)[-1]
            if (
                template_name == "map_response"
                or rp.find(".//" + q("qti-map-response")) is not None
            ):
                method = "map_response"
            elif template and template_name != "match_correct":
                raise _unsupported(
                    rp, f"response processing template {template!r} is not supported", self.file
                )
        scoring: dict[str, Any] = {"method": method}
        if kind == "text_entry":
            interaction["case_sensitive"] = True
        if method == "map_response":
            if mapping_el is None:
                raise _unsupported(
                    declaration, "map_response scoring without a qti-mapping", self.file
                )
            mapping: dict[str, int | float] = {}
            for entry in mapping_el.findall(q("qti-map-entry")):
                key = entry.get("map-key", "")
                mapping[" ".join(key.split()) if kind == "match" else key] = parse_number(
                    entry.get("mapped-value", "0")
                )
                if kind == "text_entry" and entry.get("case-sensitive") == "false":
                    interaction["case_sensitive"] = False
            scoring["mapping"] = mapping
            entry_extras = self.extras.get("map_entry")
            if isinstance(entry_extras, dict):
                values[:] = entry_extras.get("values", values)
                if kind == "numeric_entry":
                    interaction["tolerance"] = entry_extras.get("tolerance", 0)
        elif rp is not None:
            if kind == "text_entry":
                matches = rp.findall(".//" + q("qti-string-match"))
                accepted = []
                for match in matches:
                    base = match.find(q("qti-base-value"))
                    if base is not None:
                        accepted.append(base.text or "")
                    if match.get("case-sensitive") == "false":
                        interaction["case_sensitive"] = False
                if accepted:
                    values[:] = accepted
            if kind == "numeric_entry":
                equal = rp.find(".//" + q("qti-equal"))
                if equal is not None and equal.get("tolerance-mode") == "absolute":
                    interaction["tolerance"] = parse_number(equal.get("tolerance", "0").split()[0])
        scoring["max_score"] = self._max_score(declaration, scoring)
        return scoring

    def _max_score(self, declaration: etree._Element, scoring: dict[str, Any]) -> int | float:
        for out in self.root.findall(q("qti-outcome-declaration")):
            if out.get("identifier") == "MAXSCORE":
                value = out.find(f"{q('qti-default-value')}/{q('qti-value')}")
                if value is not None and value.text:
                    return parse_number(value.text)
            if out.get("identifier") == "SCORE" and out.get("normal-maximum"):
                return parse_number(out.get("normal-maximum", "1"))
        mapping = scoring.get("mapping")
        if mapping:
            positive = [v for v in mapping.values() if v > 0]
            if declaration.get("cardinality") == "single":
                return max(positive, default=1)
            return sum(positive) or 1
        return 1

    def _read_template_values(self) -> None:
        for decl in self.root.findall(q("qti-template-declaration")):
            name = decl.get("identifier", "")
            value = decl.find(f"{q('qti-default-value')}/{q('qti-value')}")
            if (
                decl.get("base-type") not in ("integer", "float")
                or decl.get("cardinality") != "single"
            ):
                raise _unsupported(
                    decl, f"template variable {name!r} is not a single number", self.file
                )
            if value is None or not value.text:
                raise _unsupported(
                    decl, f"template variable {name!r} has no default value", self.file
                )
            self.template_values[name] = parse_number(value.text)

    def _template(self) -> dict[str, Any] | None:
        declarations = self.root.findall(q("qti-template-declaration"))
        if not declarations:
            return None
        variables: dict[str, dict[str, Any]] = {}
        for decl in declarations:
            name = decl.get("identifier", "")
            variables[name] = {"type": decl.get("base-type"), "value": self.template_values[name]}
        processing = self.root.find(q("qti-template-processing"))
        answer: str | None = None
        for rule in processing if processing is not None else []:
            if not isinstance(rule.tag, str):
                continue
            children = [c for c in rule if isinstance(c.tag, str)]
            name = local(rule)
            if name == "qti-set-template-value" and len(children) == 1:
                target = rule.get("identifier", "")
                if target not in variables:
                    raise _unsupported(rule, f"{target!r} is not a template variable", self.file)
                variables[target].update(random_rule_from_qti(children[0]))
            elif name == "qti-set-correct-response" and len(children) == 1:
                answer = qti_to_expression(children[0])
            else:
                raise _unsupported(rule, f"template rule <{name}> is not supported", self.file)
        if answer is None:
            raise _unsupported(
                processing, "templates need a qti-set-correct-response answer", self.file
            )
        original = self.extras.get("answer")
        if isinstance(original, str):
            try:
                if canonical_expression(original) == answer:
                    answer = original
            except ExpressionError:
                pass
        return {"variables": variables, "answer": answer}

    def _feedback(self) -> tuple[dict[str, str], list[str]]:
        feedback: dict[str, str] = {}
        hints: list[tuple[int, str]] = []
        for modal in self.root.findall(q("qti-modal-feedback")):
            ident = modal.get("identifier", "")
            content = modal.find(q("qti-content-body"))
            text = self.text(content if content is not None else modal)
            if modal.get("outcome-identifier") == "HINT" and ident.startswith("HINT_"):
                try:
                    hints.append((int(ident[5:]), text))
                except ValueError:
                    continue
            elif ident.lower() in ("correct", "incorrect"):
                feedback[ident.lower()] = text
        return feedback, [text for _, text in sorted(hints)]

"""Feedback: 好差评 (five levels and reason chips), 意见建议 and 点题公开, with an optional phone
number on a digit pad; its fourth kind, 依申请公开, leads to the application screen. The
confirmation and its reference number show only after the outbox committed the submission."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from kiosk.logic.feedback import (
    DISCLOSURE_TOPICS,
    RATING_LEVELS,
    SUGGESTION_TOPICS,
    Chip,
    DisclosureRequestForm,
    FormError,
    RatingForm,
    SuggestionForm,
)
from kiosk.logic.navigation import Route
from kiosk.logic.phone_link import phone_form_url
from kiosk.ui.kv import load_kv_once
from kiosk.ui.screens.base import BaseScreen
from kiosk.ui.widgets import buttons, keyboard, qr_code, text  # noqa: F401 - classes used in the kv rules
from kiosk.ui.widgets.buttons import KButton
from kiosk.ui.widgets.keyboard import BACKSPACE, CLEAR

load_kv_once(__file__)

UNSAVED = "本机暂时无法保存您的提交，未生成受理编号。请稍后再试，或到服务窗口反映。"
STARS = "★"

Form = RatingForm | SuggestionForm | DisclosureRequestForm


class FeedbackScreen(BaseScreen):
    kind = StringProperty("rating")
    subject = StringProperty("")
    chips_title = StringProperty("")
    phone_text = StringProperty("")
    problem = StringProperty("")
    done = BooleanProperty(False)
    reference = StringProperty("")
    done_text = StringProperty("")
    promise = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.page_title = "好差评 / 意见建议"
        self._levels_built = False

    def enter(self, route: Route) -> None:
        super().enter(route)
        app = self.host
        self.kind = str(route.param("kind", "rating"))
        self.done = False
        self.problem = ""
        if self.kind == "rating" and route.param("subject"):
            form: Form = app.session.start_rating(
                route.param("subject"),
                str(route.param("id", "")),
                str(route.param("title", "")),
                str(route.param("department", "")),
            )
        elif self.kind == "disclosure_request" and route.param("node"):
            form = app.session.start_disclosure_request(
                str(route.param("node")), str(route.param("title", ""))
            )
        else:
            form = self.form()
        hall = app.reader.hall()
        self.promise = hall.reply_promise if hall is not None and self.kind == "disclosure_request" else ""
        if isinstance(form, RatingForm):
            self.subject = "评价对象：" + (form.subject_title or (hall.name if hall else "本服务中心"))
        elif isinstance(form, DisclosureRequestForm) and form.node is not None:
            self.subject = f"申请公开栏目：{form.node[1]}"
        else:
            self.subject = {
                "suggestion": "请选择您想提的意见建议（可多选）",
                "disclosure_request": "希望我们公开哪些信息？（可多选）",
            }.get(self.kind, "")
        self._build_levels()
        self._show_form()

    def form(self) -> Form:
        session = self.host.session
        if self.kind == "suggestion":
            return session.suggestion_form()
        if self.kind == "disclosure_request":
            return session.disclosure_form()
        return session.rating_form()

    def choose_kind(self, kind: str) -> None:
        if kind == "disclosure_application":  # made on the phone: its own screen, no form here
            self.host.replace(Route("application"))
        elif kind != self.kind:
            self.host.replace(Route("feedback", {"kind": kind}))

    # ---------------------------------------------------------------- drawing

    def _build_levels(self) -> None:
        if self._levels_built:
            return
        box = self.ids.levels
        for level in RATING_LEVELS:
            button = KButton(
                text=f"{STARS * level.value}\n{level.label}", key=str(level.value), kind="chip", wrap=True
            )
            button.halign = "center"
            button.bind(on_release=lambda b: self.choose_level(int(b.key)))
            box.add_widget(button)
        self._levels_built = True

    def _chips(self, form: Form) -> tuple[tuple[Chip, ...], frozenset[str]]:
        if isinstance(form, RatingForm):
            return form.reasons, form.selected
        if isinstance(form, SuggestionForm):
            return SUGGESTION_TOPICS, form.selected
        return DISCLOSURE_TOPICS, form.selected

    def _show_form(self) -> None:
        form = self.form()
        chosen = form.level.value if isinstance(form, RatingForm) and form.level else None
        for button in self.ids.levels.children:
            button.selected = chosen is not None and int(button.key) == chosen
        chips, selected = self._chips(form)
        if isinstance(form, RatingForm):
            self.chips_title = "请选择原因（差评至少选一项）" if chosen else "请先选择满意程度"
        elif isinstance(form, DisclosureRequestForm) and form.node is not None:
            self.chips_title = "还可选择具体内容（可多选，也可不选）"
        else:
            self.chips_title = "可多选"
        box = self.ids.chips
        box.clear_widgets()
        for chip in chips:
            button = KButton(text=chip.label, key=chip.code, kind="chip", selected=chip.code in selected)
            button.size_hint = (None, None)
            button.height = self.host.style.touch
            button.bind(texture_size=lambda b, s: setattr(b, "width", s[0] + self.host.style.padding * 2))
            button.bind(on_release=lambda b: self.toggle_chip(b.key))
            box.add_widget(button)
        self.phone_text = form.phone.masked or "（选填）方便我们回访"

    # ---------------------------------------------------------------- actions

    def choose_level(self, value: int) -> None:
        form = self.form()
        if isinstance(form, RatingForm):
            form.select_level(value)
            self.problem = ""
            self._show_form()

    def toggle_chip(self, code: str) -> None:
        form = self.form()
        if isinstance(form, RatingForm):
            form.toggle_reason(code)
        else:
            form.toggle_topic(code)
        self.problem = ""
        self._show_form()

    def press_digit(self, key: str) -> None:
        phone = self.form().phone
        if key == BACKSPACE:
            phone.backspace()
        elif key == CLEAR:
            phone.clear()
        else:
            phone.type_digit(key)
        self._show_form()

    def submit(self) -> None:
        app = self.host
        form = self.form()
        if app.outbox is None:
            self.problem = "本机暂不能提交，请到窗口反映"
            return
        try:
            receipt = form.submit(app.outbox)
        except FormError as exc:
            self.problem = str(exc)
            return
        except Exception:  # the disk is full or read-only, the outbox damaged: never claim success
            self.problem = UNSAVED
            return
        app.deliver_now()
        app.session.discard_form(form.kind)
        self.reference = receipt.reference
        self.done_text = {
            "rating": "感谢您的评价！差评我们将在规定时限内回访处理。",
            "suggestion": "感谢您的意见建议，我们会认真研究。",
            "disclosure_request": self.promise or "我们会尽快答复。",
        }.get(form.kind, "提交成功")
        self.done = True
        hall = app.reader.hall()
        config = app.kiosk_config
        node = form.node if isinstance(form, DisclosureRequestForm) else None
        phone_url = phone_form_url(
            config.centre, config.device.id, form.kind, node[0] if node else "", datetime.now(UTC)
        )
        portal = hall.portal_url if hall is not None else None
        if not (phone_url and app.show_qr(self.ids.phone_qr, phone_url, "扫码在手机上继续填写")):
            app.show_qr(self.ids.phone_qr, portal, "扫码在手机上继续填写")

    def forget(self) -> None:
        self.done = False
        self.reference = ""
        self.problem = ""

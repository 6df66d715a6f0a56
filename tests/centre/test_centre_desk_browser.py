"""The desk in a real browser: Debian's chromium, headless, driven through chromedriver by Selenium
against `hall-centre serve` on loopback. Staff sign in with the keyboard, work a 差评 through its
steps, see an overdue row stand out, a viewer sees only masked phone numbers, and a form whose CSRF
token was taken out is refused; a 依申请公开 is made on a phone (a wrong ID number refused, nothing
typed lost), then extended and answered at the desk. Each page is saved as a screenshot (desk
1366×768, phone 375×667): into the folder named by HALL_DESK_SCREENSHOTS when set
(`scripts/make_desk_screenshots.sh` → docs/screenshots/)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select

from centre.db import phone
from centre.db.schema import submissions
from feed import sign_form_link
from tests.centre.centre_kit import CentreProcess, register, write_config
from tests.centre.desk_kit import PASSWORD, add_member, citizen_record, deliver, heartbeat_history
from tests.centre.test_centre_receiver import heartbeat

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
OFFICE_SCREEN = (1366, 768)
PHONE_SCREEN = (375, 667)

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402


def _chromium(phone: bool) -> WebDriver:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip(
            "Debian's chromium and chromium-driver are not installed (scripts/install-system-deps.sh)"
        )
    os.environ["SE_OFFLINE"] = "true"  # Selenium must never fetch a browser or a driver
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--lang=zh-CN"):
        options.add_argument(argument)
    if phone:  # headless chromium will not make a window under 500 px: emulate the phone's screen
        metrics = {"width": PHONE_SCREEN[0], "height": PHONE_SCREEN[1], "pixelRatio": 2.0, "mobile": True}
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": metrics})
    else:
        options.add_argument(f"--window-size={OFFICE_SCREEN[0]},{OFFICE_SCREEN[1]}")
    return webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    driver = _chromium(phone=False)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def phone_browser() -> Iterator[WebDriver]:
    driver = _chromium(phone=True)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("HALL_DESK_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def desk(tmp_path: Path, database_url: str, centre_engine: Engine) -> Iterator[CentreProcess]:
    process = CentreProcess(write_config(tmp_path, database_url))
    process.start()
    try:
        yield process
    finally:
        process.stop()


def _shot(driver: WebDriver, folder: Path, name: str, prefix: str = "desk") -> None:
    path = folder / f"{prefix}-{name}.png"
    assert driver.save_screenshot(str(path)), f"no screenshot of {name}"
    assert path.stat().st_size > 10_000  # a rendered page, not a blank


def _navigating(driver: WebDriver, act: Callable[[], object]) -> None:
    """Do `act` (a click, a key), wait until the browser has left the page it was on and the next one
    has loaded: an element looked up while it still loads may belong to neither."""
    page = driver.find_element(By.TAG_NAME, "html")
    act()
    WebDriverWait(driver, 20).until(lambda _driver: _gone(page))
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")


def _gone(element: WebElement) -> bool:
    """Whether `element` left with its page. Chromium answers a question about an element of a page
    being replaced either "stale" or "node does not belong to the document": both mean gone."""
    try:
        element.is_enabled()
    except WebDriverException:  # StaleElementReferenceException is one
        return True
    return False


def _sign_in(driver: WebDriver, base: str, name: str) -> None:
    driver.delete_all_cookies()
    driver.get(base + "desk/reviews")
    assert "/desk/sign-in" in driver.current_url
    field = driver.switch_to.active_element  # the name field has the focus: keyboard only from here
    assert field.get_attribute("id") == "name"
    _navigating(driver, lambda: field.send_keys(name, Keys.TAB, PASSWORD, Keys.ENTER))
    assert driver.current_url.endswith("/desk/reviews"), driver.page_source[:500]


def test_staff_work_the_desk_in_a_browser(
    browser: WebDriver, desk: CentreProcess, centre_engine: Engine, shots: Path
) -> None:
    add_member(centre_engine, "王芳", "handler")
    add_member(centre_engine, "督查", "viewer")
    token = register(centre_engine, "kiosk-hall1-entrance", hall="qinghe-center")
    register(centre_engine, "led-hall1", "display", hall="qinghe-center")
    now = datetime.now(UTC)
    late = citizen_record(
        "kiosk-hall1-entrance",
        "rating",
        now - timedelta(days=9),
        "QH-20261121-0007",
        level=1,
        phone="13912345678",
    )
    fresh = citizen_record("kiosk-hall1-entrance", "rating", now, "QH-20261130-0012", level=2)
    request = citizen_record("kiosk-hall1-entrance", "disclosure_request", now, "QH-20261130-0013")
    suggestion = citizen_record(
        "kiosk-hall1-entrance", "suggestion", now - timedelta(days=1), "QH-20261129-0004"
    )
    deliver(desk, token, "kiosk-hall1-entrance", late, fresh, request, suggestion)
    heartbeat_history(centre_engine, "kiosk-hall1-entrance", now, hours=7 * 24)
    beat = heartbeat("kiosk-hall1-entrance", sent_at=now.isoformat(), outbox={"depth": 0})
    answer = httpx.post(
        desk.url + "v1/heartbeats", json=beat, headers={"Authorization": f"Bearer {token}"}, timeout=20
    )
    assert answer.status_code == 200, answer.text
    driver = browser
    base = desk.url

    driver.get(base + "desk/sign-in")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    _shot(driver, shots, "sign-in")

    # A viewer: masked phones, no form to work the record.
    _sign_in(driver, base, "督查")
    assert "139****5678" in driver.page_source and "13912345678" not in driver.page_source
    _navigating(driver, driver.find_element(By.LINK_TEXT, "QH-20261121-0007").click)
    assert "139****5678" in driver.page_source and not driver.find_elements(By.TAG_NAME, "textarea")

    # A handler works the overdue 差评 through its steps.
    _sign_in(driver, base, "王芳")
    overdue = driver.find_element(By.CSS_SELECTOR, "tr.overdue")
    assert "QH-20261121-0007" in overdue.text and "已超期" in overdue.text and "13912345678" in overdue.text
    assert "overdue" not in (
        driver.find_element(By.XPATH, "//tr[.//a[text()='QH-20261130-0012']]").get_attribute("class") or ""
    )
    _shot(driver, shots, "reviews")
    _navigating(driver, driver.find_element(By.LINK_TEXT, "QH-20261121-0007").click)
    for note, reached in (
        ("已电话联系市民，致歉并说明原因", "已回访"),
        ("窗口已增派人员，市民表示认可", "已办结"),
    ):
        driver.find_element(By.ID, "text").send_keys(note)
        _navigating(
            driver, driver.find_element(By.CSS_SELECTOR, "form[action^='/desk/records'] button").click
        )
        facts = driver.find_element(By.CSS_SELECTOR, "dl.facts").text
        assert reached in facts and note in driver.find_element(By.CSS_SELECTOR, "ol.history").text
    _shot(driver, shots, "record")
    _navigating(driver, driver.find_element(By.LINK_TEXT, "差评回访").click)
    assert "QH-20261121-0007" not in driver.page_source

    for page, reference in (("suggestions", "QH-20261129-0004"), ("requests", "QH-20261130-0013")):
        driver.get(base + f"desk/{page}")
        assert reference in driver.page_source
        _shot(driver, shots, page)
    driver.get(base + "desk/ratings")
    assert "每周评价数" in driver.find_element(By.TAG_NAME, "main").text
    _shot(driver, shots, "ratings")
    driver.get(base + "desk/fleet")
    assert "失联" in driver.find_element(By.CSS_SELECTOR, "tr .status-silent").text
    assert "正常" in driver.find_element(By.CSS_SELECTOR, "tr .status-ok").text
    _shot(driver, shots, "fleet")
    _navigating(driver, driver.find_element(By.LINK_TEXT, "kiosk-hall1-entrance").click)
    assert len(driver.find_elements(By.CSS_SELECTOR, "svg.chart")) == 3
    driver.set_window_size(OFFICE_SCREEN[0], 1200)  # the whole page: all three charts
    _shot(driver, shots, "device")
    driver.set_window_size(*OFFICE_SCREEN)

    # A form whose CSRF token was taken out is refused, and nothing changes.
    _navigating(driver, driver.find_element(By.LINK_TEXT, "意见建议").click)
    _navigating(driver, driver.find_element(By.LINK_TEXT, "QH-20261129-0004").click)
    driver.execute_script(
        "document.querySelector('form[action^=\"/desk/records\"] input[name=csrf]').remove()"
    )
    driver.find_element(By.ID, "text").send_keys("没有令牌的答复")
    _navigating(driver, driver.find_element(By.CSS_SELECTOR, "form[action^='/desk/records'] button").click)
    assert "表单已失效或来源不明" in driver.page_source
    _shot(driver, shots, "refused")
    driver.back()
    driver.refresh()
    assert "待答复" in driver.find_element(By.CSS_SELECTOR, "dl.facts").text
    assert "没有令牌的答复" not in driver.page_source


def test_a_citizen_finishes_a_form_on_a_phone_screen(
    phone_browser: WebDriver, desk: CentreProcess, centre_engine: Engine, shots: Path
) -> None:
    register(centre_engine, "kiosk-hall1-entrance", hall="qinghe-center")
    key = phone.issue_form_key(centre_engine, "kiosk-hall1-entrance")
    token = sign_form_link(key, "suggestion", "kiosk-hall1-entrance", "", datetime.now(UTC))
    driver = phone_browser
    driver.get(desk.url + f"p/{token}")
    assert driver.execute_script("return window.innerWidth") == PHONE_SCREEN[0]
    assert (
        driver.execute_script("return document.documentElement.scrollWidth") <= PHONE_SCREEN[0]
    )  # no sideways scroll
    driver.find_element(By.ID, "text").send_keys("希望周六上午也开放不动产登记窗口，谢谢！")
    driver.find_element(By.ID, "phone").send_keys("13912345678")
    _shot(driver, shots, "form", prefix="phone")
    _navigating(driver, driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click)
    reference = driver.find_element(By.CSS_SELECTOR, ".reference").text
    assert reference.startswith("SJ-")
    _shot(driver, shots, "done", prefix="phone")
    with centre_engine.connect() as conn:
        stored = conn.execute(select(submissions.c.reference, submissions.c.phone)).one()
    assert tuple(stored) == (reference, "13912345678")
    driver.get(desk.url + f"p/{token}")  # the same link again
    assert "已经提交过了" in driver.find_element(By.TAG_NAME, "main").text
    _shot(driver, shots, "used", prefix="phone")


def test_an_application_is_made_on_a_phone_and_answered_at_the_desk(
    phone_browser: WebDriver, browser: WebDriver, desk: CentreProcess, centre_engine: Engine, shots: Path
) -> None:
    register(centre_engine, "kiosk-hall1-entrance", hall="qinghe-center")
    add_member(centre_engine, "王芳", "handler")
    key = phone.issue_form_key(centre_engine, "kiosk-hall1-entrance")
    token = sign_form_link(
        key, "disclosure_application", "kiosk-hall1-entrance", "fin-budget", datetime.now(UTC)
    )
    driver = phone_browser
    driver.get(desk.url + f"p/{token}")
    assert driver.execute_script("return document.documentElement.scrollWidth") <= PHONE_SCREEN[0]
    driver.find_element(By.ID, "name").send_keys("张三丰")
    driver.find_element(By.ID, "id_number").send_keys("110105194912310021")  # a wrong check digit
    driver.find_element(By.ID, "phone").send_keys("13912345678")
    driver.find_element(By.ID, "text").send_keys("2025年区财政局部门决算及“三公”经费决算说明")
    driver.find_element(By.CSS_SELECTOR, "input[name=delivery][value=email]").click()
    driver.find_element(By.ID, "email").send_keys("zhang@example.cn")
    driver.execute_script("window.scrollTo(0, 0)")  # the picture shows the form from its top
    _shot(driver, shots, "application", prefix="phone")
    _navigating(driver, driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click)
    assert "居民身份证号码不正确" in driver.find_element(By.CSS_SELECTOR, ".error").text
    assert driver.find_element(By.ID, "name").get_attribute("value") == "张三丰"  # nothing typed is lost
    field = driver.find_element(By.ID, "id_number")
    field.clear()
    field.send_keys("11010519491231002X")
    _navigating(driver, driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click)
    reference = driver.find_element(By.CSS_SELECTOR, ".reference").text
    assert reference.startswith("SJ-") and "电子邮件" in driver.find_element(By.TAG_NAME, "main").text
    assert driver.execute_script("return document.documentElement.scrollWidth") <= PHONE_SCREEN[0]
    _shot(driver, shots, "application-done", prefix="phone")

    staff_browser = browser
    _sign_in(staff_browser, desk.url, "王芳")
    _navigating(staff_browser, staff_browser.find_element(By.LINK_TEXT, "依申请公开").click)
    assert "张三丰" in staff_browser.page_source
    _shot(staff_browser, shots, "applications")
    _navigating(staff_browser, staff_browser.find_element(By.LINK_TEXT, reference).click)
    staff_browser.find_element(By.ID, "reason").send_keys("涉及第三方，需书面征求意见")
    _navigating(
        staff_browser, staff_browser.find_element(By.CSS_SELECTOR, "form[action$='/extend'] button").click
    )
    assert "已延期" in staff_browser.find_element(By.CSS_SELECTOR, "dl.facts").text
    assert not staff_browser.find_elements(By.CSS_SELECTOR, "form[action$='/extend']")  # once only
    staff_browser.find_element(By.CSS_SELECTOR, "input[name=outcome][value=partial]").click()
    staff_browser.find_element(By.CSS_SELECTOR, "#ground option[value=third_party]").click()
    staff_browser.find_element(By.ID, "text").send_keys(
        "部分内容涉及第三方商业秘密，其余已通过电子邮件发送。"
    )
    _navigating(
        staff_browser,
        staff_browser.find_element(By.CSS_SELECTOR, "form[action^='/desk/records'] button").click,
    )
    facts = staff_browser.find_element(By.CSS_SELECTOR, "dl.facts").text
    assert "已答复" in facts and "部分公开，依据：涉及商业秘密" in facts
    staff_browser.set_window_size(OFFICE_SCREEN[0], 1000)
    _shot(staff_browser, shots, "application")


def test_an_admin_registers_a_device_in_a_browser(
    browser: WebDriver, desk: CentreProcess, centre_engine: Engine, shots: Path
) -> None:
    add_member(centre_engine, "管理员", "admin")
    add_member(centre_engine, "王芳", "handler")
    register(centre_engine, "kiosk-hall1-entrance", hall="qinghe-center")
    driver = browser
    _sign_in(driver, desk.url, "管理员")
    _navigating(driver, driver.find_element(By.LINK_TEXT, "账号").click)
    assert "王芳" in driver.find_element(By.TAG_NAME, "table").text
    _shot(driver, shots, "accounts")
    _navigating(driver, driver.find_element(By.LINK_TEXT, "设备登记").click)
    driver.find_element(By.ID, "id").send_keys("led-hall1")
    driver.find_element(By.CSS_SELECTOR, "#role option[value=display]").click()
    field = driver.find_element(By.ID, "hall")
    field.send_keys("qinghe-center")
    _navigating(driver, lambda: field.send_keys(Keys.ENTER))
    token = driver.find_element(By.ID, "secret").get_attribute("value") or ""
    assert len(token) > 30 and "只显示这一次" in driver.page_source
    _shot(driver, shots, "device-token")
    answer = httpx.post(
        desk.url + "v1/heartbeats",
        json=heartbeat("led-hall1", role="display"),
        headers={"Authorization": f"Bearer {token}"},
        timeout=20,
    )
    assert answer.status_code == 200, answer.text  # the token works at once
    _navigating(driver, driver.find_element(By.LINK_TEXT, "返回设备登记").click)
    assert "led-hall1" in driver.find_element(By.TAG_NAME, "table").text and token not in driver.page_source
    _shot(driver, shots, "devices-admin")

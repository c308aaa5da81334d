"""Pure formatting of money, percentages and phrases: Decimal in, Chinese text out, 四舍五入 throughout."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from generator.wording.phrases import Phrases, default_phrases

ZERO = Decimal(0)
HUNDRED = Decimal(100)
WAN = Decimal(10000)
DASH = "—"  # a figure that is not given

_CN_DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class Display:
    """How a template wants numbers printed (decimals, trailing zeros kept: 0.00 vs 0) and sentences worded."""

    amount_decimals: int = 2
    pct_decimals: int = 2
    keep_zeros: bool = True
    phrases: Phrases | None = None  # None: the shipped phrase book

    @property
    def words(self) -> Phrases:
        return self.phrases if self.phrases is not None else default_phrases()


def half_up(value: Decimal, places: int) -> Decimal:
    """Round 四舍五入 to `places` decimals (never Python's banker's `round`)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _plain(value: Decimal, places: int, keep_zeros: bool, thousands: bool = False) -> str:
    rounded = half_up(value, places)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0.00"
    text = f"{rounded:,.{places}f}" if thousands else f"{rounded:.{places}f}"
    if not keep_zeros and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def wan(yuan: Decimal) -> Decimal:
    """An amount in 元 expressed in 万元, exactly."""
    return yuan / WAN


def amount(yuan: Decimal | None, display: Display = Display(), thousands: bool = False) -> str:
    """An amount held in 元, printed in 万元: 9020500 → '902.05'; '—' when not given."""
    if yuan is None:
        return DASH
    return _plain(wan(yuan), display.amount_decimals, display.keep_zeros, thousands)


def pct(ratio: Decimal, display: Display = Display()) -> str:
    """A ratio printed as a percentage without the sign: 0.98974 → '98.97'."""
    return _plain(ratio * HUNDRED, display.pct_decimals, display.keep_zeros)


def ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole, or None when the whole is zero (a share of nothing is not a number)."""
    return None if whole == 0 else part / whole


def largest_remainder(parts: list[Decimal], places: int) -> list[Decimal] | None:
    """Shares in percent of `parts`, rounded to `places` so that they add up to exactly 100.

    Returns None when the parts add up to zero.
    """
    total = sum(parts, ZERO)
    if total == 0:
        return None
    unit = Decimal(1).scaleb(-places)
    exact = [p * HUNDRED / total for p in parts]
    floors = [(e / unit).to_integral_value(rounding="ROUND_FLOOR") * unit for e in exact]
    short = int(((HUNDRED - sum(floors, ZERO)) / unit).to_integral_value(rounding=ROUND_HALF_UP))
    order = sorted(range(len(parts)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:short]:
        floors[i] += unit
    return floors


def shares(parts: list[Decimal], display: Display = Display()) -> list[str] | None:
    """Printed shares of one whole (largest remainder), or None when the whole is zero."""
    values = largest_remainder(parts, display.pct_decimals)
    if values is None:
        return None
    return [_plain(v, display.pct_decimals, display.keep_zeros) for v in values]


def share(part: Decimal, whole: Decimal, display: Display = Display()) -> str | None:
    """A single share printed alone: plain 四舍五入."""
    r = ratio(part, whole)
    return None if r is None else pct(r, display)


def _is_zero_printed(yuan: Decimal, display: Display) -> bool:
    return half_up(wan(abs(yuan)), display.amount_decimals) == 0


def yoy(current: Decimal, previous: Decimal | None, last_label: str, display: Display = Display(), lead: str | None = None,
        without_base: str = "") -> str:
    """Year-on-year clause: '比2019年增加448.68万元，增长98.97%' and all its zero cases (rules.md).

    `lead` is the comparison word (比 / 较; the phrase book's compare_lead by default); `without_base` replaces
    the clause when the base is zero.
    """
    words = display.words
    lead = words["compare_lead"] if lead is None else lead
    if previous is None:
        return words.say("yoy_missing", last=last_label)
    diff = current - previous
    if _is_zero_printed(diff, display):
        return words.say("yoy_flat", last=last_label)
    size = amount(abs(diff), display)
    if previous == 0:
        return without_base or words.say("yoy_new", lead=lead, last=last_label, amount=size)
    rate = pct(abs(diff) / previous, display)
    if half_up(abs(diff) / previous * HUNDRED, display.pct_decimals) == 0:  # a visible change on a large base
        smallest = _plain(Decimal(1).scaleb(-display.pct_decimals), display.pct_decimals, display.keep_zeros)
        return words.say("yoy_up_slight" if diff > 0 else "yoy_down_slight", lead=lead, last=last_label, amount=size,
                         min_rate=smallest)
    return words.say("yoy_up" if diff > 0 else "yoy_down", lead=lead, last=last_label, amount=size, rate=rate)


def against_budget(actual: Decimal, budget: Decimal, display: Display = Display()) -> str:
    """Chongqing style: '较年初预算数增加15.66万元，增长2.7%'; '年初未安排预算' when there was none."""
    words = display.words
    return yoy(actual, budget, words["budget_last"], display, lead=words["against_lead"],
               without_base=words.say("budget_unbudgeted_spent", amount=amount(actual, display)))


def is_flat(current: Decimal, previous: Decimal, display: Display = Display()) -> bool:
    """True when the change rounds to zero at the printed precision."""
    return _is_zero_printed(current - previous, display)


def completion(actual: Decimal, budget: Decimal, display: Display = Display()) -> str:
    """'完成预算98.03%', or the honest phrase when there was no budget."""
    words = display.words
    if budget == 0:
        return words["completion_none"] if actual == 0 else words["completion_unbudgeted"]
    return words.say("completion", rate=pct(actual / budget, display))


def budget_phrase(actual: Decimal, budget: Decimal, reason: str, display: Display = Display()) -> str:
    """Completion and comparison with the budget: '完成预算47.38%，决算数小于预算数，主要原因是……'."""
    words = display.words
    head = completion(actual, budget, display)
    reason = _bare(reason)
    if budget == 0:
        return words.say("budget_unbudgeted_reason", head=head, reason=reason) if reason and actual else head
    if _is_zero_printed(actual - budget, display):
        compare = words["budget_equal"]
    else:
        compare = words["budget_over"] if actual > budget else words["budget_under"]
    if reason:
        return words.say("budget_compare_reason", head=head, compare=compare, reason=reason)
    return words.say("budget_compare", head=head, compare=compare)


def _bare(text: str) -> str:
    """Text from the data without surrounding blanks and closing punctuation (the frame adds its own)."""
    return text.strip().rstrip("。；;，,")


def sentence(key: str, text: str, display: Display = Display(), name: str = "text") -> str:
    """The phrase `key` around a text from the data ('主要用于……。'), or nothing when the data gives no text."""
    text = _bare(text)
    return display.words.say(key, **{name: text}) if text else ""


def reason_sentence(reason: str, display: Display = Display()) -> str:
    """'主要原因是……。' or nothing when the data gives no reason."""
    return sentence("reason", reason, display, "reason")


def shortfall_sentence(spent: Decimal, budget: Decimal, reason: str, display: Display = Display()) -> str:
    """Why a project spent less than its budget — only when it visibly did, and only when a reason is given."""
    below = spent < budget and not is_flat(spent, budget, display)
    return sentence("shortfall", reason, display, "reason") if below else ""


def text_lines(text: str) -> list[str]:
    """A multi-line cell as its non-blank lines (one paragraph or list item each)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def cn_number(n: int) -> str:
    """Chinese numeral for headings, 1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (1–99)."""
    if not 0 < n < 100:
        raise ValueError(f"heading number out of range: {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _CN_DIGITS[ones]
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return head + "十" + (_CN_DIGITS[ones] if ones else "")

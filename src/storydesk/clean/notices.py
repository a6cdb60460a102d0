"""Site and service notices: what a web site says to its visitor, not what a reporter wrote.

A scraped page is sometimes nothing but such a notice: a web archive's description of its crawl, a
hosting service's "your custom domain may take 24 hours", a "page not found" or "enable JavaScript"
wall, a social platform's settings text, a video player's placeholder, a sign-up form, or a video
page's description made of subscribe / follow / licensing links. Each kind is a :class:`NoticeFamily`:
a family of independent cue phrases, of which a paragraph must show several, not one exact string.

Two further conditions keep real coverage *about* these services (a story on the Internet Archive,
on Twitter's location feature, on a domain sale) out of the net:

* a notice speaks to its visitor (you, your, please, we, our) or about itself ("this collection",
  "these crawls"); a report speaks about others;
* a notice never reports speech: a paragraph with "said", "told", "according to" is reporting.

The cleaner (:mod:`storydesk.clean.boilerplate`) removes a notice paragraph inside an article as a
block with the family's reason code, and drops a page with nothing else as ``no_main_text`` with a
message that names the kind of page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from storydesk.clean.normalize import WORD

__all__ = [
    "FAMILIES",
    "NOTICE_REASONS",
    "SITE_DESCRIPTION_REASON",
    "VIDEO_PAGE_REASON",
    "NoticeFamily",
    "describe_notices",
    "is_link_line",
    "is_site_description",
    "notice_cues",
    "reports_speech",
    "speaks_to_visitor",
]


@dataclass(frozen=True, slots=True)
class NoticeFamily:
    """One kind of site notice: its RemovedBlock reason, what it is (for messages), its cue phrases.

    ``block_min_cues`` is how many distinct cues a paragraph of an otherwise real article needs before
    it goes as this notice; a page made only of notices needs two in at least one paragraph. A family
    whose cues include everyday verbs ("enable", "to use") also names its ``subject``: without it
    (JavaScript, cookies, a browser) no cue counts.
    """

    reason: str
    what: str
    cues: tuple[re.Pattern[str], ...]
    # Lower-case fragments of which every cue contains one: a paragraph with none of them is not read by
    # the cue patterns at all (a substring test is a small fraction of a case-blind regex scan).
    words: tuple[str, ...]
    block_min_cues: int = 2
    subject: re.Pattern[str] | None = None

    def count(self, text: str, lowered: str | None = None) -> int:
        """How many distinct cues of this family occur in ``text`` (``lowered``: its lower-case form)."""
        lowered = text.lower() if lowered is None else lowered
        if not any(w in lowered for w in self.words):
            return 0
        if self.subject is not None and not self.subject.search(text):
            return 0
        return sum(1 for cue in self.cues if cue.search(text))


def _cues(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


_NOT_LOADED = r"\b(?:could not|cannot|can't|couldn't) be (?:loaded|displayed|played)\b"

WEB_ARCHIVE = NoticeFamily(
    reason="archive_notice",
    what="an Internet Archive crawl notice",
    words=(
        "crawl",
        "archive",
        "wayback",
        "seed",
        "warc",
        "heritrix",
        "robots.txt",
        "capture",
        "embargo",
        "collection",
        "publicly accessible",
        "general public",
    ),
    cues=_cues(
        r"\bcrawl(?:s|ed|er|ers|ing)?\b",
        r"\binternet archive\b|\barchive\.org\b|\barchive[- ]it\b|\barchive dot org\b|\b(?-i:IA)\b",
        r"\bwayback machine\b",
        r"\bseed(?:s|\s*list)?\b",
        r"\bwarc\b|\bheritrix\b|\brobots\.txt\b",
        r"\b(?:web\s+)?captures?\b",
        r"\bembargo period\b",
        r"\b(?:this|these|web)\s+collections?\b|\bcollection contains\b",
        r"\bnot\s+(?:currently\s+)?publicly\s+accessible\b|\bavailable to the general public\b",
        r"\barchived?\s+(?:the\s+)?pages\b",
    ),
)
HOSTING = NoticeFamily(
    reason="hosting_notice",
    what="a web-hosting notice (domain mapping or parking)",
    words=(
        "domain",
        "resolve",
        "propagat",
        "dns",
        "name server",
        "nameserver",
        "help cent",
        "for sale",
        "hosting",
        "parked",
        "almost there",
    ),
    cues=_cues(
        r"\bcustom domains?\b",
        r"\bdomain (?:mapping|name|registration|parking|owner)\b|\bthis domain\b",
        r"\bto (?:resolve|propagate)\b|\bpropagation\b",
        r"\bDNS\b|\bname ?servers?\b",
        r"\bhelp (?:center|centre)\b",
        r"\bis for sale\b|\bbuy this domain\b",
        r"\b(?:web )?hosting\b|\bparked\b",
        r"\byou'?re almost there\b",
    ),
)
BROWSER_WALL = NoticeFamily(
    reason="browser_notice",
    what="a browser notice (JavaScript or cookies required)",
    words=("javascript", "cookie", "browser", "html5", "blocker"),
    cues=_cues(
        r"\bjavascript\b",
        r"\bcookies?\b",
        r"\b(?:enable|turn on|disabled?|requires?|required|need to (?:enable|allow|update|use))\b",
        r"\b(?:your|this|a|the|supported|modern|capable)\s+(?:web\s+)?browser\b|\bHTML5\b",
        r"\bto (?:use|view|watch|listen|play|see|continue|access)\b",
        r"\bad ?blocker\b",
        r"\b(?:update|upgrade) your\b",
    ),
    subject=re.compile(r"\bjavascript\b|\bcookies?\b|\bbrowser\b|\bHTML5\b|\bad ?blocker\b", re.IGNORECASE),
)
ERROR_PAGE = NoticeFamily(
    reason="error_page",
    what="an error page ('page not found', 'try again later')",
    words=(
        "found",
        "404",
        "no longer",
        "may have",
        "bookmark",
        "webmaster",
        "try again",
        "sorry",
        "right now",
        "went wrong",
        "be loaded",
        "be displayed",
        "be played",
        "this feature",
    ),
    cues=_cues(
        r"\b(?:page|file|url|article|story|content)\s+(?:you\s+(?:requested|are looking for|were looking for)\s+)?"
        r"(?:could not|cannot|can't|couldn't|was not|wasn't)\s+(?:be\s+)?found\b|\bpage not found\b",
        r"\b404\b|\bnot found\b",
        r"\bno longer (?:available|exists|be here)\b|\bmay no longer be\b|\bmay have (?:changed|moved|been\s+\w+)\b",
        r"\bbookmark\b",
        r"\bwebmaster\b",
        r"\btry again\b",
        r"\bsorry\b",
        r"\bnot available right now\b|\bsomething went wrong\b|" + _NOT_LOADED,
        r"\bthis feature\b",
    ),
)
PLAYER = NoticeFamily(
    reason="player_notice",
    what="a video player's placeholder text",
    words=(
        "video",
        "player",
        "playback",
        "rating is available",
        "rented",
        "transcript",
        "autoplay",
        "embed",
        "copy this code",
        "be loaded",
        "be displayed",
        "be played",
        "right now",
        "try again",
    ),
    cues=_cues(
        r"\bvideo\b|\bplayer\b|\bplayback\b",
        r"\brating is available\b|\bhas been rented\b",
        r"\binteractive transcript\b",
        r"\bautoplay\b",
        r"\bembed\b",
        r"\bcopy this code\b",
        _NOT_LOADED + r"|\bnot available right now\b|\btry again later\b",
    ),
)
PLATFORM = NoticeFamily(
    reason="platform_notice",
    what="a social platform's settings text",
    words=("location", "third-party applications", "learn more", "always have the option"),
    cues=_cues(
        r"\btweet with a location\b|\badd (?:a )?location\b",
        r"\blocation (?:information|history)\b",
        r"\bprecise location\b",
        r"\bthird-party applications\b",
        r"\blearn more\W*$",
        r"\bswitch location\b",
        r"\balways have the option\b",
    ),
)
SIGNUP = NoticeFamily(
    reason="signup_notice",
    what="a sign-up, account, membership or petition form",
    words=(
        "sign",
        "log",
        "newsletter",
        "mailing list",
        "mail",
        "inbox",
        "regist",
        "account",
        "terms of",
        "privacy policy",
        "confirm",
        "subscri",
        "contact details",
        "form below",
        "fill in",
        "click",
        "petition",
        "credit card",
        "charged",
        "cancel",
        "member",
        "thank you for",
        "keep up to date",
        "stay informed",
        "stay in the know",
        "never miss",
        "join us",
        "like us",
        "follow us",
    ),
    cues=_cues(
        r"\bsign(?:ing)?\s*up\b|\bsign(?:ing)? in\b|\blog\s*(?:in|into)\b|\blogin\b",
        r"\bnewsletters?\b|\bmailing list\b|\be-?mail alerts?\b",
        r"\binbox\b",
        r"\be-?mail(?: address)?\b",
        r"\bregist(?:er|ering|ration)\b",
        r"\baccount\b",
        r"\bterms of (?:service|use)\b|\bprivacy policy\b",
        r"\bconfirm(?:ation)?\b",
        r"\bunsubscribe\b|\bsubscri(?:be|bing|ption)\b",
        r"\bcontact details\b|\bform below\b|\bfill in\b",
        r"\bclick (?:here|below)\b",
        r"\bpetition\b|\bsignature\b",
        r"\bcredit card\b",
        r"\b(?:be|get|been) charged\b",
        r"\buntil you cancel\b|\bcancel (?:your|at any time|anytime)\b",
        r"\b(?:vip )?member(?:ship)? credits?\b|\bmembership\b",
        r"\bthank you for (?:registering|signing|subscribing|supporting|your support)\b",
        r"\bkeep up to date\b|\bstay (?:informed|in the know)\b|\bnever miss\b",
        r"\bjoin us\b|\blike us\b|\bfollow us\b",
    ),
    # "sign up", "newsletter", "email" are words of ordinary reports on online services: inside an
    # article a form's text must show three of them.
    block_min_cues=3,
)

FAMILIES: tuple[NoticeFamily, ...] = (
    WEB_ARCHIVE,
    HOSTING,
    BROWSER_WALL,
    ERROR_PAGE,
    PLAYER,
    PLATFORM,
    SIGNUP,
)

VIDEO_PAGE_REASON = "video_page_links"
SITE_DESCRIPTION_REASON = "site_description"
_WHAT = {
    **{f.reason: f.what for f in FAMILIES},
    VIDEO_PAGE_REASON: "a video page's description (subscribe, follow and licensing links)",
    SITE_DESCRIPTION_REASON: "a one-line site description",
}
NOTICE_REASONS = frozenset(_WHAT)

# A notice addresses its visitor or points at itself; "us" only in lower case ("US" is the country).
_VOICE = re.compile(
    r"\b(?:[Yy]ou(?:'(?:re|ll|ve|d))?|[Yy]ours?|YOUR?|[Ww]e(?:'(?:re|ve|ll))?|[Oo]ur|us|[Pp]lease|PLEASE)\b|"
    r"(?i:\b(?:this|these)\s+(?:web\s+)?(?:collections?|crawls?|data|files|page|site|website|video|feature|"
    r"content|domain|form)\b)|"
    r"^(?i:click|tap|sign up|join|subscribe|follow|enable|turn on|visit|log in)\b"
)
_REPORTING = re.compile(
    # "I told you" is a title's voice, not reporting
    r"\b(?:said|says|saying|(?<!\bI )(?<!\bwe )told(?! you)|tells|according to|reported|announced|"
    r"spokes(?:man|woman|person))\b",
    re.IGNORECASE,
)
_URL = re.compile(
    r"https?://\S+|\bwww\.\S+|\b[\w-]+\.(?:com|org|net|ly|me|tv|be)/\S*|\b[\w.+-]+@[\w-]+\.[\w.]+"
)
_LICENSING = re.compile(
    r"\blicensing (?:requests?|inquiries|enquiries)\b|\bcopyright protected\b|\brepresented by\b",
    re.IGNORECASE,
)


def speaks_to_visitor(text: str) -> bool:
    return bool(_VOICE.search(text))


def reports_speech(text: str) -> bool:
    return bool(_REPORTING.search(text))


def notice_cues(text: str) -> tuple[NoticeFamily | None, int]:
    """The family with the most distinct cues in ``text`` and that count (None, 0 when none matches)."""
    best: NoticeFamily | None = None
    best_n = 0
    lowered = text.lower()
    for family in FAMILIES:
        n = family.count(text, lowered)
        if n > best_n:
            best, best_n = family, n
    return best, best_n


def is_link_line(text: str) -> bool:
    """A line that exists to send the reader elsewhere: "Follow NBC: http://...", a licensing contact."""
    if _LICENSING.search(text):
        return len(WORD.findall(text)) <= 40
    if not _URL.search(text):
        return False
    return len(WORD.findall(_URL.sub(" ", text))) <= 15


# "Articles, lectures, videos, and other informational resources regarding the history of X": a list of
# what the site offers that closes with "and other ...", then its topic, and no verb of a sentence.
_CONTENT_KINDS = (
    r"articles|news|lectures|videos?|photos?|pictures|images|podcasts|reviews|essays|resources|information|"
    r"links|documents|tutorials|guides|stories|interviews|recipes|tools|maps|data|sermons|books|materials"
)
_SITE_DESCRIPTION = re.compile(
    rf"^(?:(?:{_CONTENT_KINDS})\s*,\s*){{1,6}}(?:(?:{_CONTENT_KINDS})\s+)?(?:and|&)\s+(?:other|more)\s+(?:[a-z-]+\s+)?(?:{_CONTENT_KINDS})\s+"
    r"(?:regarding|about|on|concerning|covering|related to|for)\b",
    re.IGNORECASE,
)
_FINITE = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|can|could|did|does|do)\b", re.IGNORECASE)


def is_site_description(text: str) -> bool:
    """A page that is one line listing what a site offers, not a report of anything."""
    text = text.strip()
    return len(WORD.findall(text)) <= 30 and bool(_SITE_DESCRIPTION.match(text)) and not _FINITE.search(text)


def describe_notices(blocks: Iterable[tuple[str, str]]) -> str | None:
    """What a page of notices is, from its removed (reason, text) blocks: the one or two notice kinds
    with the most text, e.g. "an Internet Archive crawl notice and an error page (...)"; None when no
    block is a notice."""
    chars: dict[str, int] = {}
    for reason, text in blocks:
        if reason in NOTICE_REASONS:
            chars[reason] = chars.get(reason, 0) + len(text)
    if not chars:
        return None
    top: Sequence[str] = sorted(chars, key=lambda r: -chars[r])[:2]
    return " and ".join(_WHAT[r] for r in top)

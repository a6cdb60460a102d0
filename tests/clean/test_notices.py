"""Site and service notices: a page that is only a notice is dropped with its kind named; a notice
paragraph inside an article is removed with a reason; a news story *about* the service stays whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from storydesk.clean.boilerplate import BoilerplateCleaner
from storydesk.clean.notices import (
    describe_notices,
    is_link_line,
    is_site_description,
    notice_cues,
    reports_speech,
    speaks_to_visitor,
)
from storydesk.errors import InputError
from storydesk.ingest.base import read_inputs
from storydesk.records import Article
from storydesk.settings import CleanSettings, ReadSettings

DATA = Path(__file__).resolve().parent / "data"


def clean_text(text: str, title: str = "") -> Article:
    article = Article(id="page", location="page.txt", raw=text, title=title)
    return BoilerplateCleaner(CleanSettings()).process(article)


def clean_file(path: Path) -> Article:
    ((record, article),) = list(read_inputs([str(path)], ReadSettings()))
    assert record.status == "ok" and article is not None
    return BoilerplateCleaner(CleanSettings()).process(article)


def dropped_message(text: str) -> str:
    with pytest.raises(InputError) as err:
        clean_text(text)
    assert err.value.reason.value == "no_main_text"
    assert "page.txt" in err.value.message
    return err.value.message


# ---------------------------------------------------------------------------------------------
# whole pages that are a notice
# ---------------------------------------------------------------------------------------------


def test_notices_archive_crawl_page_is_dropped_and_named() -> None:
    with pytest.raises(InputError) as err:
        clean_file(DATA / "notice_archive_crawl.txt")
    assert err.value.reason.value == "no_main_text"
    assert "an Internet Archive crawl notice, not an article" in err.value.message
    assert "notice_archive_crawl" in err.value.message


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "Almost done!\n\nYour custom domain mapping can take up to 48 hours to propagate. If the new address "
            "does not work by then, please visit our help center.",
            "a web-hosting notice",
        ),
        (
            "This domain is for sale!\n\nThe owner of this domain name is accepting offers. Contact your "
            "registrar or our hosting team to buy this domain.",
            "a web-hosting notice",
        ),
        (
            "JavaScript is turned off\n\nYou need to enable JavaScript in your browser to use Streamly.",
            "a browser notice",
        ),
        (
            "We use cookies to give you the best experience. Please enable cookies in your browser to continue.",
            "a browser notice",
        ),
        (
            "Oops!\n\nSorry, the page you are looking for could not be found.\n\nIt may have moved, or the link "
            "in your bookmark is out of date. Please contact our webmaster if the problem persists.",
            "an error page",
        ),
        (
            "Share your location\n\nYou can add location information to your posts, such as your city or "
            "precise location, from the web and via third-party applications. Learn more",
            "a social platform's settings text",
        ),
        (
            "Stay in the know!\n\nFill in your contact details in the form below to join our mailing list, and "
            "we will send a confirmation email to your inbox.",
            "a sign-up, account, membership or petition form",
        ),
        (
            "Rating is available when the video has been rented.\n\nThis feature is not available right now. "
            "Please try again later.",
            "a video player's placeholder text",
        ),
    ],
)
def test_notices_service_pages_are_dropped_with_their_kind(text: str, kind: str) -> None:
    message = dropped_message(text)
    assert kind in message and message.endswith(", not an article")


def test_notices_video_description_page_of_link_lines_is_dropped() -> None:
    with pytest.raises(InputError) as err:
        clean_file(DATA / "notice_video_page.txt")
    assert "a video page's description" in err.value.message


def test_notices_one_line_site_description_is_dropped() -> None:
    message = dropped_message(
        "Sermons, essays, photos and other resources about the history of the Velden abbey."
    )
    assert "a one-line site description, not an article" in message


# ---------------------------------------------------------------------------------------------
# notices inside articles, and articles about the services
# ---------------------------------------------------------------------------------------------


def test_notices_paragraphs_inside_an_article_are_removed_with_reasons() -> None:
    article = clean_file(DATA / "article_with_notices.txt")
    assert "voted on Tuesday to close the old ferry pier" in article.text
    assert "will be fenced off from Friday" in article.text
    assert "a replacement pier is planned for 2027" in article.text
    assert "JavaScript" not in article.text and "newsletter" not in article.text
    reasons = {r.reason for r in article.removed}
    assert {"browser_notice", "signup_notice"} <= reasons


NEWS_ABOUT_SERVICES = [
    # a story on the web archive, with its crawls, captures and collection
    "The Internet Archive, the San Francisco nonprofit behind the Wayback Machine, lost an appeal over its "
    "lending of scanned books on Wednesday.\n\n"
    "The archive's crawlers have captured more than 800 billion web pages since 1996, and its collection of "
    "web captures is used by historians and courts.\n\n"
    '"We will keep archiving the web," its founder said in a statement.',
    # the same without a single reporting verb: third person, no notice voice
    "Starting in 2001, the Wayback Machine let anyone browse the Internet Archive's crawl data.\n\n"
    "Its crawlers now capture hundreds of millions of pages a day, and the collection is stored in WARC files "
    "in two data centres.",
    # a platform's location feature, reported
    "Chirp will stop letting users add a precise location to their posts, the company said on Tuesday.\n\n"
    "The feature, which tagged posts with location information from third-party applications, was rarely "
    "used, according to the company. Users can still delete their location history.",
    # a domain sale
    "A Velden start-up paid 1.2 million euros for the domain name velden.com, the seller announced on Monday.\n\n"
    "The custom domain will take a few hours to resolve to the new owner's servers, a spokesman said.",
    # a browser change
    "Browsers will block third-party cookies by default from next year, the developers announced.\n\n"
    "Sites that require JavaScript trackers to use advertising networks will need to change, analysts said.",
    # one-sentence lead of a story on a newsletter
    "The Velden Daily has sent its newsletter to 40,000 email inboxes since the sign-up page opened in March.",
]


@pytest.mark.parametrize("text", NEWS_ABOUT_SERVICES)
def test_notices_news_about_the_services_survives_whole(text: str) -> None:
    article = clean_text(text)
    assert article.text == text
    assert not article.removed


def test_notices_archive_notice_above_a_real_article_goes_alone() -> None:
    text = (
        "Starting in 1996, a crawler partner has donated its crawl data to the Internet Archive. These data are "
        "added to the Wayback Machine after an embargo period.\n\n"
        "The Velden harbour reopened to ferries on Monday after a three-week strike by dock workers ended.\n\n"
        "The union said its members had accepted a pay rise of 6 percent over two years."
    )
    article = clean_text(text)
    assert article.text.startswith("The Velden harbour reopened")
    assert [r.reason for r in article.removed] == ["archive_notice"]


def test_notices_short_report_beside_a_sign_up_form_stays() -> None:
    text = (
        "Flooding closed the coastal road between Velden and Arnau for six hours on Sunday, the police said.\n\n"
        "Sign up for our newsletter and get the top stories in your inbox."
    )
    article = clean_text(text)
    assert "Flooding closed the coastal road" in article.text


# ---------------------------------------------------------------------------------------------
# the cues
# ---------------------------------------------------------------------------------------------


def test_notices_one_cue_word_is_not_a_notice() -> None:
    _, n = notice_cues("Kraft makes Nabisco cookies and crackers at the plant.")
    assert n < 2
    # everyday verbs of a browser notice count only beside its subject (JavaScript, cookies, a browser)
    assert notice_cues("We need to use every tool we have to enable families to stay.")[1] == 0


def test_notices_voice_and_reporting() -> None:
    assert speaks_to_visitor("Please try again later.")
    assert speaks_to_visitor("These crawls are part of an effort to archive pages.")
    assert not speaks_to_visitor("The US archive crawled the pages in 2011.")
    assert reports_speech("The ministry told reporters the page was gone.")
    assert not reports_speech("I TOLD YOU IT WAS A DIFFERENT MOVIE!")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Follow Marta: http://twitter.com/martabakes", True),
        ("Business inquiries: capers@example-videos.com", True),
        ("For any licensing requests please contact the agency", True),
        ("Licensing and Programming Coordinator - Jo Bell", False),
        (
            "The council published its full report on its web site, www.velden.example, on Tuesday evening "
            "after a long meeting that ran past midnight and ended with a vote.",
            False,
        ),
    ],
)
def test_notices_link_lines(text: str, expected: bool) -> None:
    assert is_link_line(text) is expected


def test_notices_site_description_shape() -> None:
    assert is_site_description(
        "Articles, lectures, videos, and other informational resources regarding rowing."
    )
    assert not is_site_description("Articles of impeachment regarding the president were sent to the Senate.")
    assert not is_site_description(
        "Photos and videos about the flood were shared by thousands of residents on Sunday as the water rose."
    )


def test_notices_describe_names_the_largest_kinds() -> None:
    what = describe_notices([("error_page", "x" * 50), ("archive_notice", "y" * 200), ("widget", "z" * 900)])
    assert what == "an Internet Archive crawl notice and an error page ('page not found', 'try again later')"
    assert describe_notices([("widget", "Share this")]) is None

//! HTML news pages: metadata from `og:*`/`article:*`/named `<meta>` tags and the canonical
//! link, the title from `og:title`, `<title>` or the first `<h1>`, and the text from the
//! paragraphs of `<article>`, else `<main>`, else `<body>`. Paragraphs inside navigation,
//! headers, footers, asides and forms are boilerplate and never part of the body.

use std::sync::LazyLock;

use scraper::{ElementRef, Html, Selector};

use super::record::{Field, Record};
use super::{text, CorpusFile, Loaded};

/// Elements whose text is page furniture rather than article text.
const BOILERPLATE: &[&str] = &[
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "script",
    "style",
    "noscript",
    "figcaption",
];

struct Selectors {
    meta: Selector,
    canonical: Selector,
    title: Selector,
    h1: Selector,
    time: Selector,
    containers: [Selector; 4],
    paragraph: Selector,
}

static SELECTORS: LazyLock<Selectors> = LazyLock::new(|| {
    let parse = |s| Selector::parse(s).expect("valid selector");
    Selectors {
        meta: parse("meta[content]"),
        canonical: parse(r#"link[rel="canonical"][href]"#),
        title: parse("title"),
        h1: parse("h1"),
        time: parse("time[datetime]"),
        containers: [
            parse("article"),
            parse("main"),
            parse(r#"[role="main"]"#),
            parse("body"),
        ],
        paragraph: parse("p"),
    }
});

pub(crate) fn read(file: &CorpusFile, text: &str) -> Loaded {
    let page = Html::parse_document(text);
    let s = &*SELECTORS;
    let mut record = Record::default();
    // The canonical link is the page's own statement of its URL; `og:url` comes second.
    if let Some(link) = page.select(&s.canonical).next() {
        record.set(Field::Url, link.attr("href").unwrap_or_default());
    }
    for meta in page.select(&s.meta) {
        let name = meta
            .attr("property")
            .or_else(|| meta.attr("name"))
            .or_else(|| meta.attr("itemprop"));
        if let (Some(field), Some(content)) = (name.and_then(meta_field), meta.attr("content")) {
            // `article:author` is often a profile URL, which is not a byline.
            if !(field == Field::Author && content.starts_with("http")) {
                record.set(field, content);
            }
        }
    }
    for selector in [&s.title, &s.h1] {
        if let Some(element) = page.select(selector).next() {
            record.set(Field::Title, &element_text(element));
        }
    }
    // Pages with teasers of other articles have several `<article>`s; the story is the
    // one with the most paragraph text.
    let container = s
        .containers
        .iter()
        .find_map(|c| page.select(c).max_by_key(|e| paragraph_text_len(*e)));
    if let Some(container) = container {
        if let Some(time) = container.select(&s.time).next() {
            record.set(Field::Date, time.attr("datetime").unwrap_or_default());
        }
        record.set(Field::Body, &body_text(container));
    }
    record.into_loaded(file)
}

/// The field of a meta tag: `og:`, `article:` and `dc.` prefixes are dropped and the rest
/// is mapped like any other field name (`og:site_name` → source). Descriptions are not
/// taken as a lead: pages usually repeat them in the text with small edits.
fn meta_field(name: &str) -> Option<Field> {
    let lower = name.to_ascii_lowercase();
    let bare = ["og:", "article:", "dc.", "dcterms."]
        .iter()
        .find_map(|prefix| lower.strip_prefix(prefix))
        .unwrap_or(&lower);
    Field::from_name(bare).filter(|f| !matches!(f, Field::Body | Field::Summary | Field::Id))
}

/// One paragraph per `<p>` that is not boilerplate; a container without paragraphs gives
/// its whole non-boilerplate text as one paragraph.
fn body_text(container: ElementRef<'_>) -> String {
    let paragraphs: Vec<String> = container
        .select(&SELECTORS.paragraph)
        .filter(|p| !in_boilerplate(*p, container))
        .map(element_text)
        .collect();
    if paragraphs.iter().any(|p| !p.is_empty()) {
        return text::join_paragraphs(paragraphs);
    }
    let words: Vec<&str> = container
        .descendants()
        .filter_map(|node| {
            let text = node.value().as_text()?;
            let parent = node.parent().and_then(ElementRef::wrap)?;
            let skip = is_boilerplate(parent) || in_boilerplate(parent, container);
            (!skip).then_some(&**text)
        })
        .collect();
    text::collapse_whitespace(&words.join(" "))
}

fn paragraph_text_len(container: ElementRef<'_>) -> usize {
    container
        .select(&SELECTORS.paragraph)
        .flat_map(|p| p.text())
        .map(str::len)
        .sum()
}

fn in_boilerplate(element: ElementRef<'_>, container: ElementRef<'_>) -> bool {
    element
        .ancestors()
        .take_while(|node| node.id() != container.id())
        .filter_map(ElementRef::wrap)
        .any(is_boilerplate)
}

fn is_boilerplate(element: ElementRef<'_>) -> bool {
    BOILERPLATE.contains(&element.value().name())
}

fn element_text(element: ElementRef<'_>) -> String {
    text::collapse_whitespace(&element.text().collect::<String>())
}

//! "Your machine": the figures each widget measured here, kept to compare,
//! export and share.
//!
//! A widget's `data-result` JSON is kept whole for export, and boiled down to
//! a flat list of figures ("methods.mutex.ms": 53.2) for tables and for the
//! permalink, which carries a result set in the URL fragment: no server, and
//! a teacher can show a class what one machine measured.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Serialize;

/// The stored and linked format; another version is refused with a reason.
pub const VERSION: u32 = 1;

/// Where the page lives: `/your-machine/` (the route says the same).
pub const PAGE_SLUG: &str = crate::content::static_page::YOUR_MACHINE_SLUG;

/// The `localStorage` key.
pub const STORAGE_KEY: &str = "concurrency-book.results";

/// The fragment key of a shared set: `your-machine/#results=…`.
pub const LINK_KEY: &str = "results=";

/// The longest permalink fragment accepted or made: long enough for every
/// widget's figures, short enough for any browser's address bar.
pub const MAX_LINK_CHARS: usize = 24_000;

/// Figures kept per result: the headline numbers, not every sample.
pub const MAX_FIGURES: usize = 60;

/// Parsed JSON, as far as results need to read it. The book reads with the
/// browser's own `JSON.parse` (`ui::browser_json`), so it ships no JSON tree of
/// its own; the host tests read with `serde_json::Value`.
pub trait JsonTree: Sized {
    /// Parses `text`; `None` if it is not JSON.
    fn parse(text: &str) -> Option<Self>;
    fn number(&self) -> Option<f64>;
    fn flag(&self) -> Option<bool>;
    fn text(&self) -> Option<String>;
    /// An object's fields, in order; `None` if this is no object.
    fn fields(&self) -> Option<Vec<(String, Self)>>;
    /// An array's items; `None` if this is no array.
    fn items(&self) -> Option<Vec<Self>>;
}

impl JsonTree for serde_json::Value {
    fn parse(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }
    fn number(&self) -> Option<f64> {
        self.as_f64()
    }
    fn flag(&self) -> Option<bool> {
        self.as_bool()
    }
    fn text(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }
    fn fields(&self) -> Option<Vec<(String, Self)>> {
        self.as_object()
            .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
    }
    fn items(&self) -> Option<Vec<Self>> {
        self.as_array().cloned()
    }
}

/// One measured value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Figure {
    Flag(bool),
    Number(f64),
    Text(String),
}

impl std::fmt::Display for Figure {
    /// As the tables show it: whole numbers without decimals, others with
    /// two, flags as yes or no.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Figure::Flag(flag) => f.write_str(if *flag { "yes" } else { "no" }),
            Figure::Number(number) if number.fract() == 0.0 && number.abs() < 1e15 => {
                write!(f, "{number:.0}")
            }
            Figure::Number(number) => write!(f, "{number:.2}"),
            Figure::Text(text) => f.write_str(text),
        }
    }
}

impl Figure {
    /// A scalar of `tree` as a figure; `None` for objects, arrays and null.
    fn of<T: JsonTree>(tree: &T) -> Option<Self> {
        tree.flag()
            .map(Figure::Flag)
            .or_else(|| tree.number().map(Figure::Number))
            .or_else(|| tree.text().map(Figure::Text))
    }
}

/// The machine a result set was measured on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Machine {
    /// The browser, as it names itself.
    pub browser: String,
    /// `navigator.hardwareConcurrency`.
    pub hardware_concurrency: u32,
    /// Whether the page was cross-origin isolated (threads possible).
    pub isolated: bool,
}

/// One widget's latest finished run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SavedResult {
    /// The widget's id.
    pub widget: String,
    /// When it finished, as the browser's clock put it (ISO 8601).
    pub at: String,
    /// The headline figures, flattened, in the order the widget wrote them;
    /// stored and linked as one JSON object.
    #[serde(serialize_with = "as_object")]
    pub figures: Vec<(String, Figure)>,
    /// The whole `data-result`, for export; not carried by permalinks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub json: Option<String>,
}

/// Results of one machine.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResultSet {
    pub version: u32,
    pub machine: Machine,
    pub results: Vec<SavedResult>,
}

/// Why a permalink cannot be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// Over [`MAX_LINK_CHARS`].
    TooLong(usize),
    /// Not the base64 of JSON of the expected shape.
    Malformed(String),
    /// Made by another version of the book.
    WrongVersion(u32),
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkError::TooLong(chars) => write!(
                f,
                "this results link is {chars} characters long, more than the {MAX_LINK_CHARS} a link may carry"
            ),
            LinkError::Malformed(why) => write!(f, "this results link is damaged ({why}); ask for the link again"),
            LinkError::WrongVersion(version) => write!(
                f,
                "this results link was made by another version of the book (format {version}, this book reads {VERSION})"
            ),
        }
    }
}

impl LinkError {
    /// The same refusal, worded for a value this browser stored, not a link.
    fn as_stored(&self) -> String {
        match self {
            LinkError::TooLong(chars) => format!("it is {chars} characters long"),
            LinkError::Malformed(why) => format!("it is damaged ({why})"),
            LinkError::WrongVersion(version) => format!(
                "it was written by another version of the book (format {version}, this book reads {VERSION})"
            ),
        }
    }
}

impl ResultSet {
    /// An empty set for `machine`.
    pub fn new(machine: Machine) -> Self {
        Self {
            version: VERSION,
            machine,
            results: Vec::new(),
        }
    }

    /// Reads a stored set for `machine` (this browser), or says why it
    /// cannot be read, so the caller can set it aside instead of overwriting it.
    pub fn parse<T: JsonTree>(stored: &str, machine: Machine) -> Result<Self, String> {
        let tree = T::parse(stored).ok_or_else(|| malformed("not JSON").as_stored())?;
        let mut set = Self::from_tree(&tree).map_err(|e| e.as_stored())?;
        set.machine = machine;
        Ok(set)
    }

    /// The value to store: every result whole.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a set, checking its version and every field: a link may come
    /// from anywhere, so nothing of another shape is half shown.
    fn from_tree<T: JsonTree>(tree: &T) -> Result<Self, LinkError> {
        // The version first: another version may well have other fields.
        let version = tree
            .fields()
            .and_then(|fields| field(&fields, "version").and_then(T::number))
            .unwrap_or(0.0);
        if version != f64::from(VERSION) {
            // Saturates: a huge or negative version is just another one.
            return Err(LinkError::WrongVersion(version as u32));
        }
        let set = fields_of(tree, "the set", &["version", "machine", "results"])?;
        let machine = field(&set, "machine").ok_or_else(|| malformed("no machine"))?;
        let machine = fields_of(
            machine,
            "machine",
            &["browser", "hardware_concurrency", "isolated"],
        )?;
        let cores = field(&machine, "hardware_concurrency")
            .and_then(T::number)
            .filter(|n| n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(n))
            .ok_or_else(|| malformed("machine.hardware_concurrency is not a count"))?;
        let machine = Machine {
            browser: text_of(&machine, "browser")?,
            hardware_concurrency: cores as u32,
            isolated: field(&machine, "isolated")
                .and_then(T::flag)
                .ok_or_else(|| malformed("machine.isolated is not true or false"))?,
        };
        let results = field(&set, "results")
            .and_then(T::items)
            .ok_or_else(|| malformed("results is not a list"))?
            .iter()
            .map(|result| {
                let result = fields_of(result, "a result", &["widget", "at", "figures", "json"])?;
                let figures = field(&result, "figures")
                    .and_then(T::fields)
                    .ok_or_else(|| malformed("a result has no figures"))?;
                if figures.len() > MAX_FIGURES {
                    return Err(malformed("too many figures"));
                }
                let figures = figures
                    .iter()
                    .map(|(name, value)| {
                        Figure::of(value)
                            .map(|figure| (name.clone(), figure))
                            .ok_or_else(|| malformed("a figure is not a number, a flag or a text"))
                    })
                    .collect::<Result<_, _>>()?;
                Ok(SavedResult {
                    widget: text_of(&result, "widget")?,
                    at: text_of(&result, "at")?,
                    figures,
                    json: field(&result, "json").and_then(T::text),
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            version: VERSION,
            machine,
            results,
        })
    }

    /// Keeps `json`, a widget's `data-result`, as that widget's latest result.
    pub fn record<T: JsonTree>(&mut self, widget: &str, at: &str, json: &str) {
        let figures = T::parse(json)
            .map(|tree| figures_of(&tree))
            .unwrap_or_default();
        self.results.retain(|r| r.widget != widget);
        self.results.push(SavedResult {
            widget: widget.to_owned(),
            at: at.to_owned(),
            figures,
            json: Some(json.to_owned()),
        });
    }

    /// The fragment value (after `#results=`) that carries this set.
    pub fn to_link(&self) -> Result<String, LinkError> {
        let mut shared = self.clone();
        for result in &mut shared.results {
            result.json = None;
        }
        let encoded = URL_SAFE_NO_PAD.encode(shared.to_json());
        if encoded.len() > MAX_LINK_CHARS {
            return Err(LinkError::TooLong(encoded.len()));
        }
        Ok(encoded)
    }

    /// Reads a set from a link's fragment value, refusing what is too long,
    /// damaged, of another version or of another shape.
    pub fn from_link<T: JsonTree>(encoded: &str) -> Result<Self, LinkError> {
        if encoded.len() > MAX_LINK_CHARS {
            return Err(LinkError::TooLong(encoded.len()));
        }
        let bytes = URL_SAFE_NO_PAD
            .decode(encoded.trim())
            .map_err(|e| LinkError::Malformed(e.to_string()))?;
        let text = String::from_utf8(bytes).map_err(|_| malformed("not text"))?;
        let tree = T::parse(&text).ok_or_else(|| malformed("not JSON"))?;
        let mut set = Self::from_tree(&tree)?;
        // Links carry figures only: a whole result would make them too long.
        for result in &mut set.results {
            result.json = None;
        }
        Ok(set)
    }

    /// The set as a markdown table, to paste into notes or an issue.
    pub fn markdown(&self) -> String {
        let mut out = format!(
            "Measured on {} ({} cores reported, {})\n\n| widget | figure | value |\n|---|---|---|\n",
            self.machine.browser,
            self.machine.hardware_concurrency,
            if self.machine.isolated { "cross-origin isolated" } else { "not isolated: one thread" }
        );
        for result in &self.results {
            for (name, value) in &result.figures {
                out.push_str(&format!(
                    "| {} | {} | {} |\n",
                    result.widget,
                    name.replace('|', "/"),
                    value.to_string().replace('|', "/")
                ));
            }
        }
        out
    }
}

/// Figures as one JSON object, name to value, as the reader would write them.
fn as_object<S: serde::Serializer>(
    figures: &[(String, Figure)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(figures.iter().map(|(name, figure)| (name, figure)))
}

fn malformed(why: &str) -> LinkError {
    LinkError::Malformed(why.to_owned())
}

/// The fields of `tree`, an object with no fields but `allowed`.
fn fields_of<T: JsonTree>(
    tree: &T,
    what: &str,
    allowed: &[&str],
) -> Result<Vec<(String, T)>, LinkError> {
    let fields = tree
        .fields()
        .ok_or_else(|| malformed(&format!("{what} is not an object")))?;
    match fields
        .iter()
        .find(|(key, _)| !allowed.contains(&key.as_str()))
    {
        Some((key, _)) => Err(malformed(&format!("{what} has an unknown field `{key}`"))),
        None => Ok(fields),
    }
}

fn field<'a, T>(fields: &'a [(String, T)], name: &str) -> Option<&'a T> {
    fields
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

/// The text field `name`.
fn text_of<T: JsonTree>(fields: &[(String, T)], name: &str) -> Result<String, LinkError> {
    field(fields, name)
        .and_then(T::text)
        .ok_or_else(|| malformed(&format!("`{name}` is not a text")))
}

/// "Chrome 156", "Firefox 140", "Safari 18" from a user agent string; the
/// whole string when it is none of these.
pub fn browser_name(user_agent: &str) -> String {
    let version_after = |marker: &str| {
        user_agent.split(marker).nth(1).map(|rest| {
            rest.split(|c: char| !c.is_ascii_digit())
                .next()
                .unwrap_or_default()
                .to_owned()
        })
    };
    if let Some(version) = version_after("Firefox/") {
        format!("Firefox {version}")
    } else if let Some(version) = version_after("Edg/") {
        format!("Edge {version}")
    } else if let Some(version) = version_after("Chrome/") {
        format!("Chrome {version}")
    } else if let (Some(version), true) =
        (version_after("Version/"), user_agent.contains("Safari/"))
    {
        format!("Safari {version}")
    } else {
        user_agent.chars().take(60).collect()
    }
}

/// Array elements are named by the first of these fields they have.
const NAME_FIELDS: [&str; 8] = [
    "method",
    "counting",
    "strategy",
    "kernel",
    "label",
    "await_point",
    "order",
    "level",
];

/// Fields that describe the machine or repeat the widget: kept once per set.
const SKIPPED: [&str; 3] = ["widget", "machine", "user_agent"];

/// A result's headline figures: its scalar fields, those of its objects, and
/// those of the named elements of its arrays, two levels deep at most.
pub fn figures_of<T: JsonTree>(tree: &T) -> Vec<(String, Figure)> {
    let mut figures = Vec::new();
    collect(tree, "", 0, &mut figures);
    figures
}

fn collect<T: JsonTree>(tree: &T, path: &str, depth: usize, figures: &mut Vec<(String, Figure)>) {
    if figures.len() >= MAX_FIGURES {
        return;
    }
    let name = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    if let Some(figure) = Figure::of(tree) {
        let figure = match figure {
            Figure::Number(number) => Figure::Number((number * 1000.0).round() / 1000.0),
            Figure::Text(text) if text.chars().count() > 60 => return,
            other => other,
        };
        figures.push((path.to_owned(), figure));
    } else if let Some(fields) = tree.fields().filter(|_| depth < 3) {
        for (key, field) in &fields {
            if depth == 0 && SKIPPED.contains(&key.as_str()) {
                continue;
            }
            collect(field, &name(key), depth + 1, figures);
        }
    } else if let Some(items) = tree.items().filter(|_| depth < 2) {
        for (index, item) in items.iter().enumerate() {
            let Some(fields) = item.fields() else {
                continue;
            };
            let label = NAME_FIELDS
                .iter()
                .find_map(|wanted| field(&fields, wanted).and_then(T::text))
                .unwrap_or_else(|| index.to_string());
            for (key, value) in &fields {
                if NAME_FIELDS.contains(&key.as_str()) || Figure::of(value).is_none() {
                    continue;
                }
                collect(
                    value,
                    &format!("{}.{key}", name(&label)),
                    depth + 1,
                    figures,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn machine() -> Machine {
        Machine {
            browser: "Chrome 156".into(),
            hardware_concurrency: 2,
            isolated: true,
        }
    }

    const RACE: &str = r#"{"widget":"race","threads":2,"machine":{"isolated":true},
        "methods":[{"method":"load_then_store","lost":327101,"ms":47.515},{"method":"mutex","lost":0,"ms":53.1}]}"#;

    #[test]
    fn results_are_flattened_to_named_figures() {
        let mut set = ResultSet::new(machine());
        set.record::<Value>("race", "2026-11-30T21:00:00Z", RACE);
        let figures: std::collections::BTreeMap<_, _> =
            set.results[0].figures.iter().cloned().collect();
        assert_eq!(figures.get("threads"), Some(&Figure::Number(2.0)));
        assert_eq!(
            figures.get("methods.load_then_store.lost"),
            Some(&Figure::Number(327101.0))
        );
        assert_eq!(figures.get("methods.mutex.ms"), Some(&Figure::Number(53.1)));
        assert!(
            !figures
                .keys()
                .any(|k| k.starts_with("machine") || k == "widget"),
            "{figures:?}"
        );
        // A second run of the same widget replaces the first.
        set.record::<Value>("race", "2026-11-30T21:05:00Z", RACE);
        assert_eq!(set.results.len(), 1);
        assert!(
            set.markdown()
                .contains("| race | methods.mutex.ms | 53.10 |"),
            "{}",
            set.markdown()
        );
    }

    #[test]
    fn a_permalink_round_trips_without_the_whole_json() {
        let mut set = ResultSet::new(machine());
        set.record::<Value>("race", "2026-11-30T21:00:00Z", RACE);
        let link = set.to_link().expect("short enough");
        let shared = ResultSet::from_link::<Value>(&link).expect("valid");
        assert_eq!(shared.results[0].figures, set.results[0].figures);
        assert_eq!(shared.results[0].json, None);
        assert_eq!(shared.machine, machine());
    }

    #[test]
    fn bad_permalinks_are_refused_with_a_reason() {
        let too_long = "a".repeat(MAX_LINK_CHARS + 1);
        assert_eq!(
            ResultSet::from_link::<Value>(&too_long),
            Err(LinkError::TooLong(MAX_LINK_CHARS + 1))
        );
        assert!(matches!(
            ResultSet::from_link::<Value>("%%%"),
            Err(LinkError::Malformed(_))
        ));
        let not_json = URL_SAFE_NO_PAD.encode("hello");
        assert!(matches!(
            ResultSet::from_link::<Value>(&not_json),
            Err(LinkError::Malformed(_))
        ));
        let mut set = ResultSet::new(machine());
        set.version = 7;
        let other = URL_SAFE_NO_PAD.encode(set.to_json());
        let refused = ResultSet::from_link::<Value>(&other).expect_err("another version");
        assert_eq!(refused, LinkError::WrongVersion(7));
        assert!(refused.to_string().contains("another version"));
        let odd = URL_SAFE_NO_PAD.encode(r#"{"version":1,"machine":{"browser":"x","hardware_concurrency":2,"isolated":true},"results":[],"extra":1}"#);
        assert!(matches!(
            ResultSet::from_link::<Value>(&odd),
            Err(LinkError::Malformed(_))
        ));
    }

    #[test]
    fn browsers_are_named_briefly() {
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36";
        assert_eq!(browser_name(chrome), "Chrome 156");
        assert_eq!(
            browser_name("Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"),
            "Firefox 140"
        );
        assert_eq!(
            browser_name("Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15"),
            "Safari 18"
        );
    }

    #[test]
    fn stored_sets_of_another_version_or_shape_say_why() {
        let mut set = ResultSet::new(machine());
        set.record::<Value>("race", "now", RACE);
        set.version = 0;
        let refused =
            ResultSet::parse::<Value>(&set.to_json(), machine()).expect_err("another version");
        assert!(refused.contains("another version of the book"), "{refused}");
        let refused = ResultSet::parse::<Value>("]", machine()).expect_err("not JSON");
        assert!(refused.contains("not JSON"), "{refused}");
    }

    #[test]
    fn a_stored_set_keeps_each_whole_result() {
        let mut set = ResultSet::new(machine());
        set.record::<Value>("race", "2026-11-30T21:00:00Z", RACE);
        let loaded = ResultSet::parse::<Value>(&set.to_json(), machine()).expect("its own JSON");
        assert_eq!(loaded, set);
        assert_eq!(loaded.results[0].json.as_deref(), Some(RACE));
    }

    #[test]
    fn a_link_with_figures_of_another_shape_is_refused() {
        let nested = URL_SAFE_NO_PAD.encode(
            r#"{"version":1,"machine":{"browser":"x","hardware_concurrency":2,"isolated":true},
                "results":[{"widget":"race","at":"now","figures":{"lost":{"a":1}}}]}"#,
        );
        let refused = ResultSet::from_link::<Value>(&nested).expect_err("a nested figure");
        assert!(refused.to_string().contains("not a number"), "{refused}");
        let no_cores = URL_SAFE_NO_PAD.encode(
            r#"{"version":1,"machine":{"browser":"x","hardware_concurrency":-1,"isolated":true},"results":[]}"#,
        );
        assert!(ResultSet::from_link::<Value>(&no_cores)
            .expect_err("a negative count")
            .to_string()
            .contains("hardware_concurrency"));
    }

    #[test]
    fn figures_read_as_the_tables_show_them() {
        assert_eq!(Figure::Number(2.0).to_string(), "2");
        assert_eq!(Figure::Number(53.127).to_string(), "53.13");
        assert_eq!(Figure::Flag(true).to_string(), "yes");
        assert_eq!(Figure::Text("mutex".into()).to_string(), "mutex");
    }
}

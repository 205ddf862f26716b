//! Taking the request's secrets out of what a server says back (a redirect's `Location`, an error
//! page echoing the URL, which on `/rest` carries passwords, a body quoting the request): each
//! secret is replaced in every encoding a URL, a form, JSON or HTML could give it, user
//! information is taken out of URLs, and a text from which a secret can still be decoded is
//! withheld whole.

use std::borrow::Cow;

use percent_encoding::{
    AsciiSet, CONTROLS, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode,
};
use serde_json::Value;
use vcsa_backup_api::Secret;

use crate::error::ServerError;

/// What a secret is replaced with.
pub(crate) const REDACTED: &str = "[redacted]";
/// What a text becomes when a secret could still be decoded from it after scrubbing.
pub(crate) const WITHHELD: &str = "[withheld: the answer quoted a secret of the request]";

/// The characters the `url` crate encodes in a query.
const QUERY: &AsciiSet = &with(CONTROLS, b" \"#<>");
/// ... in a special scheme's query, which adds the apostrophe.
const SPECIAL_QUERY: &AsciiSet = &QUERY.add(b'\'');
/// ... in a path segment.
const PATH_SEGMENT: &AsciiSet = &with(QUERY, b"?`{}/%");
/// ... in user information.
const USERINFO: &AsciiSet = &with(PATH_SEGMENT, b":;=@[\\]^|");

/// `set` with `bytes` added.
const fn with(set: &AsciiSet, bytes: &[u8]) -> AsciiSet {
    match bytes {
        [first, rest @ ..] => with(&set.add(*first), rest),
        [] => set.union(AsciiSet::EMPTY),
    }
}

/// The secrets one request carried, and every form they could take in a server's text.
pub(crate) struct Scrub {
    /// The secrets as sent.
    secrets: Vec<Secret>,
    /// Every encoding of every secret, longest first (so that an encoding is replaced before a
    /// shorter one inside it).
    needles: Vec<Secret>,
}

impl Scrub {
    /// Scrubs `secrets` (empty ones are skipped: they cannot be told apart from no text).
    pub(crate) fn new<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Self {
        let secrets: Vec<Secret> = secrets
            .into_iter()
            .filter(|s| !s.is_empty())
            .map(Secret::new)
            .collect();
        let mut needles: Vec<String> = secrets.iter().flat_map(|s| encodings(s.expose())).collect();
        needles.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        needles.dedup();
        Self {
            secrets,
            needles: needles.into_iter().map(Secret::new).collect(),
        }
    }

    /// `text` without user information in its URLs and without any secret, or [`WITHHELD`]
    /// when a secret can still be decoded from what is left; borrowed only when unchanged.
    pub(crate) fn text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let mut out = strip_userinfo(text);
        for needle in &self.needles {
            if out.contains(needle.expose()) {
                out = Cow::Owned(out.replace(needle.expose(), REDACTED));
            }
        }
        if self.still_readable(&out) {
            return Cow::Owned(WITHHELD.into());
        }
        out
    }

    /// [`text`](Self::text), in place.
    pub(crate) fn string(&self, text: &mut String) {
        if let Cow::Owned(clean) = self.text(text) {
            *text = clean;
        }
    }

    /// Bytes of an answer, scrubbed as text (invalid UTF-8 is replaced, as excerpts show it).
    pub(crate) fn bytes(&self, bytes: &[u8]) -> Vec<u8> {
        let text = String::from_utf8_lossy(bytes);
        match self.text(&text) {
            Cow::Borrowed(_) => bytes.to_vec(),
            Cow::Owned(clean) => clean.into_bytes(),
        }
    }

    /// Every text of an error the appliance reported: its messages and their arguments, and
    /// every string in its data.
    pub(crate) fn server_error(&self, server: &mut ServerError) {
        for message in &mut server.messages {
            self.string(&mut message.id);
            self.string(&mut message.text);
            message.args.iter_mut().for_each(|a| self.string(a));
        }
        if let Some(data) = &mut server.data {
            self.value(data);
        }
    }

    fn value(&self, value: &mut Value) {
        match value {
            Value::String(s) => self.string(s),
            Value::Array(items) => items.iter_mut().for_each(|v| self.value(v)),
            Value::Object(map) => {
                let entries = std::mem::take(map);
                for (mut key, mut v) in entries {
                    self.string(&mut key);
                    self.value(&mut v);
                    map.insert(key, v);
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    /// Whether a secret can be read from `text` once percent- or form-decoded.
    fn still_readable(&self, text: &str) -> bool {
        if self.secrets.is_empty() {
            return false;
        }
        // The markers themselves may hold a very short secret: they do not count.
        let text = &text.replace(REDACTED, "\0");
        let decoded = percent_decode_str(text).decode_utf8_lossy();
        let plus = text.replace('+', " ");
        let form = percent_decode_str(&plus).decode_utf8_lossy();
        self.secrets.iter().any(|s| {
            let s = s.expose();
            text.contains(s) || decoded.contains(s) || form.contains(s)
        })
    }
}

/// A secret as raw text, percent-encoded by every set a URL uses (upper- and lower-case hex),
/// form-encoded (`+` for a space), JSON-escaped and HTML-escaped.
fn encodings(secret: &str) -> Vec<String> {
    let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let mut out = vec![secret.to_string(), form.replace('+', "%20"), form];
    for set in [
        NON_ALPHANUMERIC,
        QUERY,
        SPECIAL_QUERY,
        PATH_SEGMENT,
        USERINFO,
    ] {
        out.push(utf8_percent_encode(secret, set).to_string());
    }
    let lower: Vec<String> = out.iter().filter_map(|e| lower_hex(e)).collect();
    out.extend(lower);
    let escaped: Vec<String> = out
        .iter()
        .flat_map(|e| [json_escaped(e), html_escaped(e)])
        .collect();
    out.extend(escaped);
    out.retain(|e| !e.is_empty());
    out
}

/// `%2F` as `%2f`; `None` when there is no hex letter to lower.
fn lower_hex(encoded: &str) -> Option<String> {
    let mut parts = encoded.split('%');
    let mut out = parts.next().unwrap_or_default().to_string();
    for part in parts {
        out.push('%');
        match part
            .get(..2)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            Some(hex) => {
                out.push_str(&hex.to_ascii_lowercase());
                out.push_str(&part[2..]);
            }
            None => out.push_str(part),
        }
    }
    (out != encoded).then_some(out)
}

fn json_escaped(text: &str) -> String {
    let quoted = Value::String(text.to_string()).to_string();
    quoted[1..quoted.len() - 1].to_string()
}

fn html_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// `text` with the user information (`user:password@`) of every URL in it taken out.
fn strip_userinfo(text: &str) -> Cow<'_, str> {
    if !text.contains("://") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (before, after) = rest.split_at(at + 3);
        out.push_str(before);
        let authority_end = after
            .find(|c: char| {
                matches!(c, '/' | '?' | '#' | '"' | '\'' | '<' | '>' | '\\') || c.is_whitespace()
            })
            .unwrap_or(after.len());
        let authority = &after[..authority_end];
        out.push_str(
            authority
                .rfind('@')
                .map_or(authority, |at| &authority[at + 1..]),
        );
        rest = &after[authority_end..];
    }
    out.push_str(rest);
    if out == text {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(out)
    }
}

/// Where a redirect points, for a message: scheme, host, port and path only; never its user
/// information, query or fragment (a relative target is shown by its path alone).
pub(crate) fn redirect_target(location: &str) -> String {
    match url::Url::parse(location) {
        Ok(mut url) => {
            // Only fails for URLs that cannot have these, which then have none to hide.
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.set_query(None);
            url.set_fragment(None);
            url.to_string()
        }
        Err(_) => {
            let end = location.find(['?', '#']).unwrap_or(location.len());
            let target = &location[..end];
            // A scheme-relative target (`//host/path`) has an authority too.
            match target.strip_prefix("//") {
                Some(rest) => format!("//{}", &strip_userinfo(&format!("x://{rest}"))[4..]),
                None => strip_userinfo(target).into_owned(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn secret() -> impl Strategy<Value = String> {
        "[a-zA-Z0-9 /@&=+%?#:;\\\"'<>\u{e9}\u{2603}-]{6,24}"
    }

    proptest! {
        /// Whatever the secret and the text around it, in whichever encoding the server quotes
        /// it, neither the secret nor any encoding of it is left.
        #[test]
        fn no_encoding_survives(
            secret in secret(),
            before in ".{0,40}",
            after in ".{0,40}",
            which in 0usize..64,
        ) {
            let forms = encodings(&secret);
            let form = &forms[which % forms.len()];
            let scrub = Scrub::new([secret.as_str()]);
            let out = scrub.text(&format!("{before}{form}{after}")).into_owned();
            if out != WITHHELD {
                for form in &forms {
                    prop_assert!(!out.contains(form.as_str()), "{out:?} holds {form:?}");
                }
            }
        }

        /// Any text at all, scrubbed, never panics and never holds the secret raw.
        #[test]
        fn arbitrary_text_never_panics(secret in secret(), text in ".{0,200}") {
            let out = Scrub::new([secret.as_str()]).text(&text);
            prop_assert!(!out.contains(secret.as_str()) || WITHHELD.contains(secret.as_str()));
            let _ = Scrub::new([secret.as_str()]).bytes(text.as_bytes());
        }
    }
}

//! Rewrites of progenitor's output, each kept for what it saves on a `get_job` call
//! (instructions per call, measured as `crates/vcsa-backup/benches/README.md` describes):
//!
//! - progenitor puts an `api-version` header (the spec's `info.version`) into a header map of
//!   its own in every operation; the appliance documents no such header. The insertion is
//!   dropped and the map's capacity lowered to match (an empty map stays: removing it saved
//!   0.3%, too little for its code).
//! - `encode_path(&param.to_string())` (and its import) copies a `&str` path parameter, then
//!   percent-encodes the copy into a second string: `crate::hooks::encode_path(param)` borrows
//!   both when nothing needs encoding (saves about 590, 0.7%).
//! - `ResponseValue::from_response` copies the answer's headers before reading its body:
//!   `crate::hooks::from_response` moves them (saves about 740, 0.8%).
//! - each operation's URL is built with `format!`: `[..].concat()` of the same pieces builds
//!   it in one allocation of the right length (saves about 1,100, 1.2%).
//!
//! Token-level, because the path parameters sit inside `format!`, whose arguments syn leaves as
//! tokens. Each rewrite must apply as often as its pattern appears in progenitor's output, or
//! generation fails: a progenitor upgrade that changes the shape is caught, not half-applied.

use proc_macro2::{Delimiter, Group, Literal, TokenStream, TokenTree};

/// How many times each rewrite applied.
#[derive(Default, Debug, PartialEq, Eq)]
pub struct Counts {
    pub api_version_headers: usize,
    pub header_capacities: usize,
    pub path_encodings: usize,
    pub decodes: usize,
    pub urls: usize,
}

/// Applies the rewrites to progenitor's tokens; fails when they do not fit its output.
pub fn rewrite(tokens: TokenStream) -> Result<TokenStream, String> {
    let mut counts = Counts::default();
    let out = stream(tokens, &mut counts)?;
    if counts.api_version_headers == 0
        || counts.api_version_headers != counts.header_capacities
        || counts.decodes == 0
        || counts.urls == 0
    {
        return Err(format!(
            "progenitor's output no longer has the shape the xtask's rewrites expect: {counts:?}"
        ));
    }
    Ok(out)
}

/// One rewrite tried at `trees[i]`: when its pattern starts there, it pushes the replacement onto
/// `out`, counts itself and returns the index after the pattern.
type Rewrite =
    fn(&[TokenTree], usize, &mut Vec<TokenTree>, &mut Counts) -> Result<Option<usize>, String>;

/// Every rewrite, in the order they are tried at each token.
const REWRITES: [Rewrite; 6] = [
    url,
    api_version_header,
    header_capacity,
    path_encoding,
    encode_path_import,
    decode,
];

fn stream(tokens: TokenStream, counts: &mut Counts) -> Result<TokenStream, String> {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out: Vec<TokenTree> = Vec::with_capacity(trees.len());
    let mut i = 0;
    'trees: while i < trees.len() {
        for rewrite in REWRITES {
            if let Some(next) = rewrite(&trees, i, &mut out, counts)? {
                i = next;
                continue 'trees;
            }
        }
        match &trees[i] {
            TokenTree::Group(group) => {
                let mut inner = Group::new(group.delimiter(), stream(group.stream(), counts)?);
                inner.set_span(group.span());
                out.push(TokenTree::Group(inner));
            }
            other => out.push(other.clone()),
        }
        i += 1;
    }
    Ok(out.into_iter().collect())
}

/// `format!("{}/job/{}", self.baseurl, ARG)`  ->  `[&*self.baseurl, "/job/", &*ARG].concat()`:
/// one allocation of the URL's exact length, without the formatting machinery, and without
/// the reallocation `format!` needs when its guess of the length is short (it is for every
/// operation: the base URL is not in its guess). Buys about 1,100 instructions per call (1.2%).
/// Every `format!` in progenitor's output builds a URL; any other shape fails.
fn url(
    trees: &[TokenTree],
    i: usize,
    out: &mut Vec<TokenTree>,
    counts: &mut Counts,
) -> Result<Option<usize>, String> {
    if !(is_ident(&trees[i], "format") && is_punct(trees.get(i + 1), '!')) {
        return Ok(None);
    }
    let Some(TokenTree::Group(args)) = trees.get(i + 2) else {
        return Err("`format!` without its arguments".into());
    };
    // The arguments rewritten first: they hold the path parameters' encoding.
    let mut args = split_commas(stream(args.stream(), counts)?).into_iter();
    let template = match args.next().as_deref() {
        Some([TokenTree::Literal(literal)]) => literal.to_string(),
        _ => {
            return Err(format!(
                "a `format!` that does not start with its template: {args:?}"
            ));
        }
    };
    let pieces = template
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .filter(|t| !t.contains('\\'))
        .map(|t| t.split("{}").collect::<Vec<_>>())
        .filter(|pieces| pieces.iter().all(|p| !p.contains(['{', '}'])))
        .ok_or_else(|| {
            format!("a `format!` template other than plain text and `{{}}`: {template}")
        })?;
    let args: Vec<Vec<TokenTree>> = args.collect();
    if args.len() + 1 != pieces.len() {
        return Err(format!(
            "`format!({template}, ..)` with {} arguments",
            args.len()
        ));
    }
    let mut parts: Vec<TokenStream> = Vec::new();
    for (n, piece) in pieces.iter().enumerate() {
        if n > 0 {
            let arg: TokenStream = args[n - 1].iter().cloned().collect();
            parts.push(quote::quote! { &*#arg });
        }
        if !piece.is_empty() {
            parts.push(TokenTree::Literal(Literal::string(piece)).into());
        }
    }
    out.extend(quote::quote! { [#(#parts),*].concat() });
    counts.urls += 1;
    Ok(Some(i + 3))
}

/// The tokens between top-level commas, without empty ones (a trailing comma).
fn split_commas(tokens: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut parts = vec![Vec::new()];
    for tree in tokens {
        match tree {
            TokenTree::Punct(p) if p.as_char() == ',' => parts.push(Vec::new()),
            other => parts.last_mut().expect("never empty").push(other),
        }
    }
    parts.retain(|part| !part.is_empty());
    parts
}

/// `header_map . append ( ...HeaderName::from_static("api-version")... ) ;`, dropped.
/// Buys about 1,700 instructions per call (1.9%), and no undocumented header.
fn api_version_header(
    trees: &[TokenTree],
    i: usize,
    _out: &mut Vec<TokenTree>,
    counts: &mut Counts,
) -> Result<Option<usize>, String> {
    if is_ident(&trees[i], "header_map")
        && is_punct(trees.get(i + 1), '.')
        && trees.get(i + 2).is_some_and(|t| is_ident(t, "append"))
        && let Some(TokenTree::Group(args)) = trees.get(i + 3)
        && args.delimiter() == Delimiter::Parenthesis
        && holds_api_version(args.stream())
        && is_punct(trees.get(i + 4), ';')
    {
        counts.api_version_headers += 1;
        return Ok(Some(i + 5));
    }
    Ok(None)
}

/// `let mut header_map = ::reqwest::header::HeaderMap::with_capacity(Nusize);` with one header
/// fewer, and without `mut` when no header is left to append.
fn header_capacity(
    trees: &[TokenTree],
    i: usize,
    out: &mut Vec<TokenTree>,
    counts: &mut Counts,
) -> Result<Option<usize>, String> {
    if !(is_ident(&trees[i], "let")
        && trees.get(i + 1).is_some_and(|t| is_ident(t, "mut"))
        && trees.get(i + 2).is_some_and(|t| is_ident(t, "header_map")))
    {
        return Ok(None);
    }
    let end = (i..trees.len())
        .find(|&j| is_punct(trees.get(j), ';'))
        .ok_or("a `let header_map` without its `;`")?;
    let at = (i..end)
        .find(|&j| is_ident(&trees[j], "with_capacity"))
        .ok_or("a `let header_map` that is not `HeaderMap::with_capacity(..)`")?;
    let Some(TokenTree::Group(args)) = trees.get(at + 1) else {
        return Err("`HeaderMap::with_capacity` without its argument".into());
    };
    let capacity = args.stream().to_string();
    let n: usize = capacity
        .trim()
        .trim_end_matches("usize")
        .parse()
        .map_err(|_| format!("unexpected HeaderMap capacity `{capacity}`"))?;
    if n == 0 {
        return Err("a header map without progenitor's api-version header".into());
    }
    counts.header_capacities += 1;
    out.push(trees[i].clone());
    let name = if n == 1 { i + 2 } else { i + 1 };
    out.extend(trees[name..=at].iter().cloned());
    let mut group = Group::new(
        Delimiter::Parenthesis,
        TokenTree::Literal(Literal::usize_suffixed(n - 1)).into(),
    );
    group.set_span(args.span());
    out.push(TokenTree::Group(group));
    Ok(Some(at + 2))
}

/// `encode_path ( & NAME . to_string ( ) )`  ->  `crate::hooks::encode_path ( NAME )`.
/// Buys about 590 instructions per call (0.7%); kept for the 1.05 ratio (benches/README.md).
fn path_encoding(
    trees: &[TokenTree],
    i: usize,
    out: &mut Vec<TokenTree>,
    counts: &mut Counts,
) -> Result<Option<usize>, String> {
    if is_ident(&trees[i], "encode_path")
        && let Some(TokenTree::Group(args)) = trees.get(i + 1)
        && let Some(name) = to_string_of(args.stream())
    {
        out.extend(path(&["crate", "hooks", "encode_path"]));
        out.push(TokenTree::Group(Group::new(
            Delimiter::Parenthesis,
            TokenTree::Ident(name).into(),
        )));
        counts.path_encodings += 1;
        return Ok(Some(i + 2));
    }
    Ok(None)
}

/// `use progenitor_client::{encode_path, ...}`: unused once every call is rewritten.
fn encode_path_import(
    trees: &[TokenTree],
    i: usize,
    _out: &mut Vec<TokenTree>,
    _counts: &mut Counts,
) -> Result<Option<usize>, String> {
    Ok((is_ident(&trees[i], "encode_path") && is_punct(trees.get(i + 1), ',')).then_some(i + 2))
}

/// `ResponseValue :: from_response`  ->  `crate::hooks::from_response`.
/// Buys about 740 instructions per call (0.8%); kept for the 1.05 ratio (benches/README.md).
fn decode(
    trees: &[TokenTree],
    i: usize,
    out: &mut Vec<TokenTree>,
    counts: &mut Counts,
) -> Result<Option<usize>, String> {
    if is_ident(&trees[i], "ResponseValue")
        && is_punct(trees.get(i + 1), ':')
        && is_punct(trees.get(i + 2), ':')
        && trees
            .get(i + 3)
            .is_some_and(|t| is_ident(t, "from_response"))
    {
        out.extend(path(&["crate", "hooks", "from_response"]));
        counts.decodes += 1;
        return Ok(Some(i + 4));
    }
    Ok(None)
}

fn is_ident(tree: &TokenTree, name: &str) -> bool {
    matches!(tree, TokenTree::Ident(ident) if ident == name)
}

fn is_punct(tree: Option<&TokenTree>, c: char) -> bool {
    matches!(tree, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

fn holds_api_version(args: TokenStream) -> bool {
    args.into_iter().any(|tree| match tree {
        TokenTree::Literal(literal) => literal.to_string() == "\"api-version\"",
        TokenTree::Group(group) => holds_api_version(group.stream()),
        _ => false,
    })
}

/// `NAME` of `& NAME . to_string ( )`.
fn to_string_of(args: TokenStream) -> Option<proc_macro2::Ident> {
    let trees: Vec<TokenTree> = args.into_iter().collect();
    match trees.as_slice() {
        [
            TokenTree::Punct(amp),
            TokenTree::Ident(name),
            TokenTree::Punct(dot),
            TokenTree::Ident(method),
            TokenTree::Group(call),
        ] if amp.as_char() == '&'
            && dot.as_char() == '.'
            && method == "to_string"
            && call.stream().is_empty() =>
        {
            Some(name.clone())
        }
        _ => None,
    }
}

/// `a::b::c` as tokens.
fn path(segments: &[&str]) -> Vec<TokenTree> {
    let span = proc_macro2::Span::call_site();
    let mut out = Vec::new();
    for (n, segment) in segments.iter().enumerate() {
        if n > 0 {
            out.push(proc_macro2::Punct::new(':', proc_macro2::Spacing::Joint).into());
            out.push(proc_macro2::Punct::new(':', proc_macro2::Spacing::Alone).into());
        }
        out.push(proc_macro2::Ident::new(segment, span).into());
    }
    out
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn one_operation_is_rewritten() {
        let tokens = quote! {
            use progenitor_client::{encode_path, ClientHooks};
            fn get_job(&self, id: &str) {
                let url = format!("{}/job/{}", self.baseurl, encode_path(&id.to_string()),);
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                header_map.append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(Self::api_version()),
                );
                let request = self.client.get(url).headers(header_map).build()?;
                match status {
                    200u16 => ResponseValue::from_response(response).await,
                }
            }
        };
        let expected = quote! {
            use progenitor_client::{ClientHooks};
            fn get_job(&self, id: &str) {
                let url = [&*self.baseurl, "/job/", &*crate::hooks::encode_path(id)].concat();
                let header_map = ::reqwest::header::HeaderMap::with_capacity(0usize);
                let request = self.client.get(url).headers(header_map).build()?;
                match status {
                    200u16 => crate::hooks::from_response(response).await,
                }
            }
        };
        assert_eq!(rewrite(tokens).unwrap().to_string(), expected.to_string());
    }

    #[test]
    fn a_header_parameter_keeps_its_map() {
        let tokens = quote! {
            fn f(&self, tag: &str) {
                let url = format!("{}/session", self.baseurl);
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(2usize);
                header_map.append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(Self::api_version()),
                );
                header_map.append("tag", tag.to_string().try_into()?);
                let request = self.client.get(url).headers(header_map).build()?;
                200u16 => ResponseValue::from_response(response).await
            }
        };
        let expected = quote! {
            fn f(&self, tag: &str) {
                let url = [&*self.baseurl, "/session"].concat();
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                header_map.append("tag", tag.to_string().try_into()?);
                let request = self.client.get(url).headers(header_map).build()?;
                200u16 => crate::hooks::from_response(response).await
            }
        };
        assert_eq!(rewrite(tokens).unwrap().to_string(), expected.to_string());
    }

    #[test]
    fn a_url_ending_in_text_keeps_it() {
        let tokens = quote! {
            fn f(&self, name: &str) {
                let url = format!("{}/system-name/{}/archives", self.baseurl, encode_path(&name.to_string()),);
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                header_map.append("api-version", Self::api_version());
                ResponseValue::from_response(response).await
            }
        };
        let expected = quote! {
            fn f(&self, name: &str) {
                let url = [
                    &*self.baseurl,
                    "/system-name/",
                    &*crate::hooks::encode_path(name),
                    "/archives"
                ].concat();
                let header_map = ::reqwest::header::HeaderMap::with_capacity(0usize);
                crate::hooks::from_response(response).await
            }
        };
        assert_eq!(rewrite(tokens).unwrap().to_string(), expected.to_string());
    }

    #[test]
    fn a_url_template_with_a_named_argument_fails() {
        let tokens = quote! {
            fn f(&self) {
                let url = format!("{}/job/{id}", self.baseurl);
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                header_map.append("api-version", Self::api_version());
                ResponseValue::from_response(response).await
            }
        };
        assert!(rewrite(tokens).unwrap_err().contains("{id}"));
    }

    #[test]
    fn an_unexpected_shape_fails() {
        let tokens = quote! {
            fn f() { let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize); }
        };
        assert!(rewrite(tokens).is_err());
    }
}

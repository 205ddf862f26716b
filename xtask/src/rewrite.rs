//! Rewrites of progenitor's output that save work on every request (see
//! `crates/vcsa-backup/benches/README.md` for what each saves):
//!
//! - progenitor puts an `api-version` header (the spec's `info.version`) into a header map of
//!   its own in every operation, for the hooks to take out again: the appliance documents no such
//!   header. The insertion is dropped and the map's capacity lowered to match; an operation
//!   without header parameters loses the map and its merge into the request altogether.
//! - `encode_path(&param.to_string())` (and its import) copies a `&str` path parameter, then percent-encodes the
//!   copy into a second string: `crate::hooks::encode_path(param)` borrows both when nothing
//!   needs encoding.
//! - `ResponseValue::from_response` copies the answer's headers before reading its body:
//!   `crate::hooks::from_response` moves them.
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
    pub header_maps_removed: usize,
    pub header_map_uses_removed: usize,
    pub path_encodings: usize,
    pub decodes: usize,
}

/// Applies the rewrites to progenitor's tokens; fails when they do not fit its output.
pub fn rewrite(tokens: TokenStream) -> Result<TokenStream, String> {
    let mut counts = Counts::default();
    let out = stream(tokens, &mut counts, &mut false)?;
    if counts.api_version_headers == 0
        || counts.api_version_headers != counts.header_capacities
        || counts.header_maps_removed != counts.header_map_uses_removed
        || counts.decodes == 0
    {
        return Err(format!(
            "progenitor's output no longer has the shape the xtask's rewrites expect: {counts:?}"
        ));
    }
    Ok(out)
}

/// `map_removed`: an operation's header map was removed, so its use must go too.
fn stream(
    tokens: TokenStream,
    counts: &mut Counts,
    map_removed: &mut bool,
) -> Result<TokenStream, String> {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out: Vec<TokenTree> = Vec::with_capacity(trees.len());
    let mut i = 0;
    while i < trees.len() {
        // header_map . append ( ...HeaderName::from_static("api-version")... ) ;
        if is_ident(&trees[i], "header_map")
            && is_punct(trees.get(i + 1), '.')
            && trees.get(i + 2).is_some_and(|t| is_ident(t, "append"))
            && let Some(TokenTree::Group(args)) = trees.get(i + 3)
            && args.delimiter() == Delimiter::Parenthesis
            && holds_api_version(args.stream())
            && is_punct(trees.get(i + 4), ';')
        {
            counts.api_version_headers += 1;
            i += 5;
            continue;
        }
        // let mut header_map = ::reqwest::header::HeaderMap::with_capacity(Nusize);
        // with one header fewer; a map that would stay empty goes, with its use below.
        if is_ident(&trees[i], "let")
            && trees.get(i + 1).is_some_and(|t| is_ident(t, "mut"))
            && trees.get(i + 2).is_some_and(|t| is_ident(t, "header_map"))
        {
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
            counts.header_capacities += 1;
            match n {
                0 => return Err("a header map without progenitor's api-version header".into()),
                1 => {
                    counts.header_maps_removed += 1;
                    *map_removed = true;
                    i = end + 1;
                }
                _ => {
                    out.extend(trees[i..=at].iter().cloned());
                    let mut group = Group::new(
                        Delimiter::Parenthesis,
                        TokenTree::Literal(Literal::usize_suffixed(n - 1)).into(),
                    );
                    group.set_span(args.span());
                    out.push(TokenTree::Group(group));
                    i = at + 2;
                }
            }
            continue;
        }
        // . headers ( header_map ), of a map removed above.
        if *map_removed
            && is_punct(Some(&trees[i]), '.')
            && trees.get(i + 1).is_some_and(|t| is_ident(t, "headers"))
            && let Some(TokenTree::Group(args)) = trees.get(i + 2)
            && args.stream().to_string() == "header_map"
        {
            *map_removed = false;
            counts.header_map_uses_removed += 1;
            i += 3;
            continue;
        }
        // encode_path ( & NAME . to_string ( ) )  ->  crate::hooks::encode_path ( NAME )
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
            i += 2;
            continue;
        }
        // `use progenitor_client::{encode_path, ...}`: unused once every call is rewritten.
        if is_ident(&trees[i], "encode_path") && is_punct(trees.get(i + 1), ',') {
            i += 2;
            continue;
        }
        // ResponseValue :: from_response  ->  crate::hooks::from_response
        if is_ident(&trees[i], "ResponseValue")
            && is_punct(trees.get(i + 1), ':')
            && is_punct(trees.get(i + 2), ':')
            && trees
                .get(i + 3)
                .is_some_and(|t| is_ident(t, "from_response"))
        {
            out.extend(path(&["crate", "hooks", "from_response"]));
            counts.decodes += 1;
            i += 4;
            continue;
        }
        match &trees[i] {
            TokenTree::Group(group) => {
                let mut inner = Group::new(
                    group.delimiter(),
                    stream(group.stream(), counts, map_removed)?,
                );
                inner.set_span(group.span());
                out.push(TokenTree::Group(inner));
            }
            other => out.push(other.clone()),
        }
        i += 1;
    }
    Ok(out.into_iter().collect())
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
                let url = format!("{}/job/{}", self.baseurl, crate::hooks::encode_path(id),);
                let request = self.client.get(url).build()?;
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
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                header_map.append("tag", tag.to_string().try_into()?);
                let request = self.client.get(url).headers(header_map).build()?;
                200u16 => crate::hooks::from_response(response).await
            }
        };
        assert_eq!(rewrite(tokens).unwrap().to_string(), expected.to_string());
    }

    #[test]
    fn an_unexpected_shape_fails() {
        let tokens = quote! {
            fn f() { let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize); }
        };
        assert!(rewrite(tokens).is_err());
    }
}

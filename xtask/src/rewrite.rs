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
}

/// Applies the rewrites to progenitor's tokens; fails when they do not fit its output.
pub fn rewrite(tokens: TokenStream) -> Result<TokenStream, String> {
    let mut counts = Counts::default();
    let out = stream(tokens, &mut counts)?;
    if counts.api_version_headers == 0
        || counts.api_version_headers != counts.header_capacities
        || counts.decodes == 0
    {
        return Err(format!(
            "progenitor's output no longer has the shape the xtask's rewrites expect: {counts:?}"
        ));
    }
    Ok(out)
}

fn stream(tokens: TokenStream, counts: &mut Counts) -> Result<TokenStream, String> {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out: Vec<TokenTree> = Vec::with_capacity(trees.len());
    let mut i = 0;
    while i < trees.len() {
        // header_map . append ( ...HeaderName::from_static("api-version")... ) ;
        // Buys about 1,700 instructions per call (1.9%), and no undocumented header.
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
        // with one header fewer, and without `mut` when no header is left to append.
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
            i = at + 2;
            continue;
        }
        // encode_path ( & NAME . to_string ( ) )  ->  crate::hooks::encode_path ( NAME )
        // Buys about 590 instructions per call (0.7%); kept for the 1.05 ratio (benches/README.md).
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
        // Buys about 740 instructions per call (0.8%); kept for the 1.05 ratio (benches/README.md).
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

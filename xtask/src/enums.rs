//! The spec's enums as open Rust enums.
//!
//! Every named enum schema becomes an invocation of the hand-written `open_enum!` macro in
//! vcsa-backup-api, and progenitor is told to use that type wherever the schema appears.
//! The values and their docs come from the spec, so they can never drift from it.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use serde_json::Value;

/// One enum schema.
pub struct OpenEnum {
    /// The schema name, which is also the Rust type name.
    pub name: String,
    doc: String,
    variants: Vec<(String, String)>,
}

/// Every named enum schema of the document, in document order.
pub fn collect(doc: &Value) -> Vec<OpenEnum> {
    let schemas = doc["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten();
    schemas
        .filter_map(|(name, schema)| {
            let values = schema["enum"].as_array()?;
            let described = &schema["x-enum-descriptions"];
            let variants = values
                .iter()
                .filter_map(Value::as_str)
                .map(|v| {
                    (
                        v.to_string(),
                        described[v].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect();
            Some(OpenEnum {
                name: name.clone(),
                doc: schema["description"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                variants,
            })
        })
        .collect()
}

/// The path progenitor puts in place of the schema.
pub fn rust_path(e: &OpenEnum) -> String {
    format!("crate::enums::{}", e.name)
}

/// The `enums` module appended to the generated file.
pub fn module(enums: &[OpenEnum]) -> TokenStream {
    let items = enums.iter().map(|e| {
        let name = Ident::new(&e.name, Span::call_site());
        let doc = &e.doc;
        let variants = e.variants.iter().map(|(wire, vdoc)| {
            let ident = Ident::new(&variant_name(wire), Span::call_site());
            quote! { #[doc = #vdoc] #ident = #wire, }
        });
        quote! {
            crate::open_enum::open_enum! {
                #[doc = #doc]
                #name { #(#variants)* }
            }
        }
    });
    quote! {
        /// Every enum of the spec as an open enum: values a newer appliance sends that this client
        /// does not know are kept in `Unknown` and sent back unchanged.
        pub mod enums {
            #(#items)*
        }
    }
}

/// `FEATURE_IN_USE` and `com.vmware.vapi.std.errors.feature_in_use` both become `FeatureInUse`.
fn variant_name(wire: &str) -> String {
    let last = wire.rsplit('.').next().unwrap_or(wire);
    last.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            let mut chars = lower.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::variant_name;

    #[test]
    fn variant_names_come_from_the_last_segment() {
        assert_eq!(variant_name("FEATURE_IN_USE"), "FeatureInUse");
        assert_eq!(
            variant_name("com.vmware.vapi.std.errors.feature_in_use"),
            "FeatureInUse"
        );
        assert_eq!(variant_name("INPROGRESS"), "Inprogress");
        assert_eq!(variant_name("OK"), "Ok");
    }
}

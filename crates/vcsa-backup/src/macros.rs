//! Macros the crate's modules share.

/// Builder setters that store their argument in a field: `name(field: Type);` stores it as
/// given (through `Into`), `name(field: Type) => Some;` stores `Some` of it, and
/// `name(field in inner: Type)` stores it in `self.inner.field`.
macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident($field:ident $(in $inner:ident)?: $ty:ty)
        $(=> $some:ident)?;)*) => {$(
        $(#[$doc])*
        #[must_use]
        #[allow(clippy::double_must_use)] // for builders that are `#[must_use]` themselves
        pub fn $name(mut self, $field: $ty) -> Self {
            self$(.$inner)?.$field = setters!(@store $field $($some)?);
            self
        }
    )*};
    (@store $value:ident) => { $value.into() };
    (@store $value:ident Some) => { Some($value.into()) };
}
pub(crate) use setters;

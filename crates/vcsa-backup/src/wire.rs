//! Conversions from the generated wire types into the SDK's own. Crate-private on purpose: the
//! generated types mirror the wire and may change with the spec, so they stay out of the public
//! API (a public `From` impl would put them there).

/// Builds a domain value from its wire form.
pub(crate) trait FromWire<T>: Sized {
    fn from_wire(value: T) -> Self;
}

/// The other direction of [`FromWire`], for `.map(IntoDomain::into_domain)`.
pub(crate) trait IntoDomain<D> {
    fn into_domain(self) -> D;
}

impl<T, D: FromWire<T>> IntoDomain<D> for T {
    fn into_domain(self) -> D {
        D::from_wire(self)
    }
}

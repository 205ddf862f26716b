//! `trust`: the certificate an appliance presents, read without logging in, and the lines that
//! pin it. Trust on first use made explicit: nothing is written, the person decides and pins.

use serde::Serialize;

use crate::certificate::{self, CertificateView};
use crate::cli::{GlobalArgs, TrustArgs};
use crate::failure::Failure;
use crate::output;

#[derive(Serialize)]
struct TrustView {
    server: String,
    certificate: CertificateView,
    /// The option, the variable and the configuration line that pin it.
    pin: Vec<String>,
}

/// Runs `trust`.
pub async fn run(global: &GlobalArgs, args: &TrustArgs) -> Result<(), Failure> {
    let server = match args.server.as_deref() {
        Some(server) => server.to_string(),
        None => crate::connect::server(global)?.0,
    };
    let url = vcsa_backup::server_url(&server).map_err(crate::connect::refused_server)?;
    let presented = vcsa_backup::peer_certificate(&url, global.request_timeout).await?;
    let view = TrustView {
        server: url,
        pin: certificate::pin_lines(&presented.thumbprint_sha256()),
        certificate: CertificateView::new(&presented),
    };
    output::print(global.output, &view, || {
        let mut fields = vec![("Server", view.server.clone())];
        fields.extend(view.certificate.fields());
        format!(
            "{}\n\nNothing was trusted or saved. To trust it, {}\nthen pin it with one of:\n  {}",
            output::fields(&fields),
            certificate::CHECK_IT,
            view.pin.join("\n  ")
        )
    })
}

//! Hostile servers: a fake appliance that logs in fine and then quotes the whole request (its
//! line with the query string, its headers with the session token, its body with the passwords)
//! in redirects, error bodies, unparsable answers and HTML pages. Every command that carries a
//! secret runs against it at `-vvv`, in table and JSON, in both flavours, with canary secrets;
//! no canary may appear in standard output or standard error, raw or in any encoding.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};

use crate::support::{Run, bare_command};

const APPLIANCE_PASSWORD: &str = "Appl1ance pw&=+/%?#\u{e9}";
const LOCATION_PASSWORD: &str = "L0cation pw&=+/%?#\u{e9}";
const BACKUP_PASSWORD: &str = "Bkp&=+/%?#9aZ";
const SESSION_TOKEN: &str = "sess10n-T0ken-canary";
const USER: &str = "administrator@vsphere.local";

/// How the fake appliance answers every request but log in and log out.
#[derive(Clone, Copy, Debug)]
enum Echo {
    /// 301 to the request's own target, with the log-in password as user information.
    Redirect,
    /// 400 with an error body of the flavour's shape whose message quotes the request.
    ErrorBody,
    /// 500 with the request as plain text.
    PlainText,
    /// 200 with the request as a body that is not JSON.
    Unparsable,
    /// 200 with JSON of the wrong shape quoting the request (decoding errors quote values).
    WrongShape,
    /// 502 with an HTML page quoting the request, raw and escaped.
    HtmlPage,
}

const ECHOES: [Echo; 6] = [
    Echo::Redirect,
    Echo::ErrorBody,
    Echo::PlainText,
    Echo::Unparsable,
    Echo::WrongShape,
    Echo::HtmlPage,
];

/// The commands that send a secret, or that run after log in with the session token.
const COMMANDS: &[&[&str]] = &[
    &[
        "archives",
        "list",
        "--location",
        "sftp://h/b",
        "--location-user",
        "backup",
    ],
    &[
        "archives",
        "show",
        "--location",
        "sftp://h/b",
        "--location-user",
        "backup",
        "vcsa-01",
        "20250131-020007-24322831",
    ],
    &[
        "validate",
        "--location",
        "sftp://h/b/x",
        "--location-user",
        "backup",
    ],
    &[
        "backup",
        "--location",
        "sftp://h/b/y",
        "--location-user",
        "backup",
    ],
    &[
        "schedule",
        "create",
        "nightly",
        "--location",
        "sftp://h/b",
        "--location-user",
        "backup",
    ],
    &["list"],
    &["status", "20180531-155107-8217864"],
];

/// A fake appliance on 127.0.0.1; its URL.
fn echoing_appliance(echo: Echo) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let address = listener.local_addr().expect("its address");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || answer(stream, echo, &address.to_string()));
        }
    });
    format!("http://{address}")
}

/// Reads one request and answers it; one request per connection.
fn answer(stream: TcpStream, echo: Echo, host: &str) {
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
        let end = line == "\r\n";
        head.push_str(&line);
        if end {
            break;
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let request = format!("{head}{}", String::from_utf8_lossy(&body));
    let line = head.lines().next().unwrap_or_default();
    let (method, target) = {
        let mut words = line.split(' ');
        (
            words.next().unwrap_or_default(),
            words.next().unwrap_or_default(),
        )
    };
    let rest = target.starts_with("/rest/");
    let (status, headers, body) = if target.ends_with("/session") {
        match (method, rest) {
            ("POST", false) => (201, String::new(), format!("\"{SESSION_TOKEN}\"")),
            ("POST", true) => (
                200,
                String::new(),
                format!("{{\"value\":\"{SESSION_TOKEN}\"}}"),
            ),
            _ => (204, String::new(), String::new()),
        }
    } else {
        echoed(echo, rest, host, target, &request)
    };
    let mut stream = reader.into_inner();
    let _ = write!(
        stream,
        "HTTP/1.1 {status} Echo\r\ncontent-type: application/json\r\n{headers}\
         content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
}

/// Status, extra headers and body quoting `request`.
fn echoed(
    echo: Echo,
    rest: bool,
    host: &str,
    target: &str,
    request: &str,
) -> (u16, String, String) {
    let quoted = json_string(&format!("you sent {request}"));
    match echo {
        Echo::Redirect => {
            let user = percent(USER);
            let password = percent(APPLIANCE_PASSWORD);
            let location = format!("http://{user}:{password}@{host}{target}");
            (301, format!("location: {location}\r\n"), String::new())
        }
        Echo::ErrorBody if rest => (
            400,
            String::new(),
            format!(
                "{{\"type\":\"com.vmware.vapi.std.errors.invalid_argument\",\"value\":\
                 {{\"messages\":[{{\"id\":\"echo\",\"default_message\":{quoted},\
                 \"args\":[{quoted}]}}],\"data\":{{\"request\":{quoted}}}}}}}"
            ),
        ),
        Echo::ErrorBody => (
            400,
            String::new(),
            format!(
                "{{\"error_type\":\"INVALID_ARGUMENT\",\"messages\":[{{\"id\":\"echo\",\
                 \"default_message\":{quoted},\"args\":[{quoted}]}}],\
                 \"data\":{{\"request\":{quoted}}}}}"
            ),
        ),
        Echo::PlainText => (500, String::new(), format!("you sent {request}")),
        Echo::Unparsable => (200, String::new(), format!("oops {request}")),
        Echo::WrongShape => (
            200,
            String::new(),
            format!("{{\"value\":{quoted},\"id\":{quoted}}}"),
        ),
        Echo::HtmlPage => (
            502,
            String::new(),
            format!(
                "<html><body><h1>Bad Gateway</h1><p>{}</p><pre>{request}</pre></body></html>",
                html(request)
            ),
        ),
    }
}

fn json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Every byte but letters and digits as `%XX`.
fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b if b.is_ascii_alphanumeric() => char::from(b).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

/// As an HTML form (and a URL query built by one) writes it: `+` for a space.
fn form(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b if b.is_ascii_alphanumeric() || b"*-._".contains(&b) => char::from(b).to_string(),
            b' ' => "+".to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

/// Percent-decoding, `+` as a space when `plus`.
fn decoded(text: &str, plus: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| {
            bytes
                .get(at..at + 2)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        };
        match bytes[i] {
            b'%' if hex(i + 1).is_some() => {
                out.push(hex(i + 1).unwrap_or_default());
                i += 3;
            }
            b'+' if plus => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every form in which `secret` would give itself away.
fn forms(secret: &str) -> Vec<String> {
    let mut out = vec![
        secret.to_string(),
        percent(secret),
        form(secret),
        form(secret).replace('+', "%20"),
        json_string(secret).trim_matches('"').to_string(),
        html(secret),
    ];
    let lower: Vec<String> = out.iter().map(|f| lower_hex(f)).collect();
    out.extend(lower);
    out
}

fn lower_hex(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '%' {
            for _ in 0..2 {
                if let Some(h) = chars.next() {
                    out.push(h.to_ascii_lowercase());
                }
            }
        }
    }
    out
}

/// The canaries that `text` gives away, and how.
fn leaks(text: &str) -> Vec<String> {
    let basic = base64(&format!("{USER}:{APPLIANCE_PASSWORD}"));
    let mut found = Vec::new();
    for secret in [
        APPLIANCE_PASSWORD,
        LOCATION_PASSWORD,
        BACKUP_PASSWORD,
        SESSION_TOKEN,
    ] {
        for shown in [text.to_string(), decoded(text, false), decoded(text, true)] {
            for form in forms(secret) {
                if shown.contains(&form) {
                    found.push(format!("{form:?}"));
                }
            }
        }
    }
    if text.contains(&basic) {
        found.push(format!("{basic:?}"));
    }
    found.sort();
    found.dedup();
    found
}

fn base64(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in text.as_bytes().chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn run(url: &str, flavour: &str, output: &str, args: &[&str]) -> Run {
    Run::of(
        bare_command()
            .env("VCSA_PASSWORD", APPLIANCE_PASSWORD)
            .env("VCSA_LOCATION_PASSWORD", LOCATION_PASSWORD)
            .env("VCSA_BACKUP_PASSWORD", BACKUP_PASSWORD)
            .args([
                "-vvv",
                "--server",
                url,
                "--user",
                USER,
                "--flavour",
                flavour,
            ])
            .args(["--output", output, "--request-timeout", "5s"])
            .args(args),
    )
}

#[test]
fn the_checker_finds_every_encoding() {
    let query = format!(
        "GET /rest/x?loc_spec.location_password={} HTTP/1.1",
        form(LOCATION_PASSWORD)
    );
    assert!(!leaks(&query).is_empty());
    assert!(!leaks(&lower_hex(&percent(BACKUP_PASSWORD))).is_empty());
    assert!(!leaks(&json_string(APPLIANCE_PASSWORD)).is_empty());
    assert!(!leaks(&format!("session: {SESSION_TOKEN}")).is_empty());
    assert!(!leaks(&base64(&format!("{USER}:{APPLIANCE_PASSWORD}"))).is_empty());
    assert_eq!(base64("root:pw"), "cm9vdDpwdw==");
    assert!(leaks("nothing secret here [redacted]").is_empty());
}

#[test]
fn no_canary_leaves_a_server_that_echoes_the_request() {
    let mut cases = 0;
    let mut failures = Vec::new();
    for echo in ECHOES {
        let url = echoing_appliance(echo);
        for flavour in ["api", "rest"] {
            for output in ["table", "json"] {
                for args in COMMANDS {
                    cases += 1;
                    let run = run(&url, flavour, output, args);
                    let leaked = leaks(&format!("{}\n{}", run.stdout, run.stderr));
                    // The server's answer must have reached the user as a failure, not a hang.
                    if !leaked.is_empty() || run.code == 0 {
                        failures.push(format!(
                            "{echo:?} {flavour} {output} {args:?}: exit {}, leaked {leaked:?}\n\
                             stdout:\n{}\nstderr:\n{}",
                            run.code, run.stdout, run.stderr
                        ));
                    }
                }
            }
        }
    }
    assert_eq!(cases, ECHOES.len() * 2 * 2 * COMMANDS.len());
    assert!(
        failures.is_empty(),
        "{} of {cases} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A server whose log-in path does not exist is not an appliance's API: a usage error.
#[test]
fn a_404_at_log_in_says_the_address_is_wrong() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let url = format!("http://{}", listener.local_addr().expect("its address"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream);
                let mut line = String::new();
                while reader.read_line(&mut line).unwrap_or(0) > 2 {
                    line.clear();
                }
                let body = "<html>Not Found</html>";
                let _ = write!(
                    reader.into_inner(),
                    "HTTP/1.1 404 Not Found\r\ncontent-type: text/html\r\ncontent-length: {}\r\n\
                     connection: close\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    for flavour in ["auto", "api", "rest"] {
        let run = run(&url, flavour, "table", &["parts"]);
        assert_eq!(run.code, 2, "{flavour}: {}", run.stderr);
        assert!(
            run.stderr.contains("not an appliance's API"),
            "{flavour}: {}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("check the id"),
            "{flavour}: {}",
            run.stderr
        );
    }
}

//! Whatever the appliance answers (any status, any bytes, truncated or oversized JSON, unknown
//! enum values), every operation returns a value or a typed error: never a panic. Property test
//! over the whole path, HTTP included, against a loopback server that answers what it is told.

use std::sync::{Arc, Mutex};

use proptest::prelude::*;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use vcsa_backup::{BackupRequest, Client, Error, Flavour, JobId, Secret};

/// The answer the server gives to everything but log in.
#[derive(Clone, Debug)]
struct Answer {
    status: u16,
    body: Vec<u8>,
}

async fn scripted_server(answer: Arc<Mutex<Answer>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            let answer = answer.clone();
            tokio::spawn(async move {
                loop {
                    let mut head = Vec::new();
                    let mut byte = [0u8; 1];
                    while !head.ends_with(b"\r\n\r\n") {
                        if tcp.read(&mut byte).await.unwrap_or(0) == 0 {
                            return;
                        }
                        head.push(byte[0]);
                    }
                    let head = String::from_utf8_lossy(&head).to_string();
                    let length = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    let mut body = vec![0u8; length];
                    if tcp.read_exact(&mut body).await.is_err() {
                        return;
                    }
                    let (status, body) = if head.starts_with("POST /api/session") {
                        (201, b"\"token\"".to_vec())
                    } else if head.starts_with("POST /rest/com/vmware/cis/session") {
                        (200, br#"{"value":"token"}"#.to_vec())
                    } else {
                        let a = answer.lock().unwrap().clone();
                        (a.status, a.body)
                    };
                    let response = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                        body.len()
                    );
                    if tcp.write_all(response.as_bytes()).await.is_err()
                        || tcp.write_all(&body).await.is_err()
                    {
                        return;
                    }
                }
            });
        }
    });
    url
}

fn status_json() -> Value {
    json!({
        "id": "20240601-100000-1", "state": "INPROGRESS", "progress": 5,
        "messages": [{"id": "m", "default_message": "M", "args": ["a"]}],
        "start_time": "2024-06-01T10:00:00.000Z"
    })
}

fn details_json() -> Value {
    json!({
        "location": "sftp://h/b", "location_user": "u", "type": "MANUAL", "messages": [],
        "description": {"id": "d", "default_message": "Backup", "args": []},
        "service": "s", "operation": "o", "status": "SUCCEEDED", "cancelable": false,
        "duration": 3, "size": 10, "start_time": "2024-06-01T10:00:00Z", "end_time": "2024-06-01T10:00:03Z",
        "progress": {"total": 10, "completed": 10, "message": {"id": "p", "default_message": "P", "args": []}},
        "error": {}
    })
}

/// Bodies near the real ones: valid, mutated, cut short, padded, wrapped or not.
fn body() -> impl Strategy<Value = Vec<u8>> {
    let valid = prop_oneof![
        Just(status_json()),
        Just(json!({"value": status_json()})),
        Just(json!({"20240601-100000-1": details_json()})),
        Just(json!({"value": [{"key": "20240601-100000-1", "value": details_json()}]})),
        Just(json!(["20240601-100000-1", "x"])),
        Just(json!({"value": ["20240601-100000-1"]})),
        Just(json!({"status": "WHATEVER", "messages": []})),
        Just(json!({"error_type": "FEATURE_IN_USE", "messages": []})),
        Just(
            json!({"type": "com.vmware.vapi.std.errors.nope", "value": {"messages": [{"id": 1}]}})
        ),
    ];
    (
        valid,
        any::<u16>(),
        any::<u8>(),
        0usize..4,
        proptest::collection::vec(any::<u8>(), 0..64),
    )
        .prop_map(|(value, cut, flip, how, noise)| {
            let bytes = serde_json::to_vec(&value).unwrap();
            match how {
                0 => bytes,
                1 => bytes[..(cut as usize) % (bytes.len() + 1)].to_vec(),
                2 => {
                    let mut b = bytes;
                    let at = (cut as usize) % b.len();
                    b[at] = flip;
                    b
                }
                _ => noise,
            }
        })
}

fn typed(error: &Error) -> bool {
    // Display must work for anything, and say something.
    !error.to_string().is_empty()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    // 1xx statuses are interim answers: the client rightly waits for a final one, until its
    // time-out, which proves nothing here but time.
    #[test]
    fn every_answer_is_a_value_or_a_typed_error(
        status in prop_oneof![Just(200u16), Just(201), Just(204), Just(302), Just(400), Just(401), Just(404), Just(500), Just(503), 200u16..600],
        body in body(),
        rest in any::<bool>(),
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let answer = Arc::new(Mutex::new(Answer { status, body }));
            let url = scripted_server(answer).await;
            let client = Client::builder(url)
                .credentials("u", Secret::new("p"))
                .flavour(if rest { Flavour::Rest } else { Flavour::Api })
                .request_timeout(std::time::Duration::from_secs(10))
                .build()
                .unwrap();
            let id = JobId::new("20240601-100000-1");
            let request = BackupRequest::builder().location("nfs://h:/e/b").build().unwrap();
            if let Err(e) = client.get_job(&id).await { assert!(typed(&e)); }
            if let Err(e) = client.list_job_details(None).await { assert!(typed(&e)); }
            if let Err(e) = client.list_jobs().await { assert!(typed(&e)); }
            if let Err(e) = client.start_backup(&request).await { assert!(typed(&e)); }
            if let Err(e) = client.cancel_job(&id).await { assert!(typed(&e)); }
            if let Err(e) = client.validate_backup(&request).await { assert!(typed(&e)); }
            if let Err(e) = client.list_parts().await { assert!(typed(&e)); }
        });
    }
}

#[tokio::test]
async fn an_oversized_answer_is_a_typed_error() {
    // Eight megabytes of a valid-looking but endless job list.
    let mut body = b"[".to_vec();
    body.extend(std::iter::repeat_n(&b"\"20240601-100000-1\","[..], 400_000).flatten());
    body.extend(b"\"unterminated");
    let answer = Arc::new(Mutex::new(Answer { status: 200, body }));
    let url = scripted_server(answer).await;
    let client = Client::builder(url)
        .credentials("u", Secret::new("p"))
        .flavour(Flavour::Api)
        .build()
        .unwrap();
    let error = client.list_jobs().await.unwrap_err();
    let Error::MalformedResponse {
        excerpt, reason, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert!(reason.contains("truncated"), "{reason}");
    assert!(excerpt.chars().count() <= 161);
}

/// A client speaking `flavour` to a scripted server that gives `answer` to everything but log in.
async fn answering(answer: &Arc<Mutex<Answer>>, flavour: Flavour) -> Client {
    Client::builder(scripted_server(answer.clone()).await)
        // Long enough not to be scrubbed out of the answers as a secret of the request.
        .credentials("u", Secret::new("Pa55-w0rd"))
        .flavour(flavour)
        .build()
        .unwrap()
}

/// What a job status read gives for `body` in a success answer (HTTP 200) on `/api`.
async fn job_status_from(body: &[u8]) -> Result<vcsa_backup::JobStatus, Error> {
    let answer = Arc::new(Mutex::new(Answer {
        status: 200,
        body: body.to_vec(),
    }));
    let client = answering(&answer, Flavour::Api).await;
    client.get_job(&JobId::new("20240601-100000-1")).await
}

/// A success answer holding an error in either flavour's shape is that error, the same either way.
#[tokio::test]
async fn an_error_in_a_success_answer_is_the_same_error_in_either_shape() {
    let api = br#"{"error_type":"FEATURE_IN_USE","messages":[{"id":"a","default_message":"Busy.","args":[]}]}"#;
    let rest = br#"{"type":"com.vmware.vapi.std.errors.feature_in_use","value":{"messages":[{"id":"a","default_message":"Busy.","args":[]}]}}"#;
    let api = job_status_from(api).await.unwrap_err();
    let rest = job_status_from(rest).await.unwrap_err();
    assert!(matches!(api, Error::BackupInProgress(_)), "{api:?}");
    assert_eq!(api.server_error(), rest.server_error());
}

/// A job status with a field of the wrong type is malformed: its `messages` do not make it an
/// error, which must name its type.
#[tokio::test]
async fn a_job_status_is_not_mistaken_for_an_error() {
    let status = br#"{"id":"x","state":"FAILED","messages":[],"progress":"lots"}"#;
    let error = job_status_from(status).await.unwrap_err();
    assert!(
        matches!(error, Error::MalformedResponse { .. }),
        "{error:?}"
    );
}

/// Every cut of a valid error body in a success answer is malformed, never half an error.
#[tokio::test]
async fn every_cut_of_an_error_body_is_malformed() {
    let full = br#"{"type":"com.vmware.vapi.std.errors.not_found","value":{"messages":[{"id":"x","default_message":"No job.","args":["a"]}]}}"#;
    let answer = Arc::new(Mutex::new(Answer {
        status: 200,
        body: Vec::new(),
    }));
    let client = answering(&answer, Flavour::Api).await;
    for cut in 0..full.len() {
        answer.lock().unwrap().body = full[..cut].to_vec();
        let error = client.list_jobs().await.unwrap_err();
        assert!(
            matches!(error, Error::MalformedResponse { .. }),
            "{cut}: {error:?}"
        );
    }
}

/// JSON of any shape, with the keys error bodies use.
fn arb_json() -> impl Strategy<Value = Value> {
    const KEYS: [&str; 7] = [
        "type",
        "value",
        "messages",
        "error_type",
        "data",
        "args",
        "default_message",
    ];
    let key = || proptest::sample::select(&KEYS[..]).prop_map(str::to_string);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop_oneof![
            key(),
            Just("com.vmware.vapi.std.errors.".to_string()),
            ".*".prop_map(|s: String| s),
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(key(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    /// JSON of any shape, as a success or an error answer in either flavour, is a value or a
    /// typed error.
    #[test]
    fn any_json_is_a_value_or_a_typed_error(
        value in arb_json(),
        status in prop_oneof![Just(200u16), Just(400), Just(404), Just(500), Just(503)],
        rest in any::<bool>(),
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let body = serde_json::to_vec(&value).unwrap();
            let answer = Arc::new(Mutex::new(Answer { status, body }));
            let flavour = if rest { Flavour::Rest } else { Flavour::Api };
            let client = answering(&answer, flavour).await;
            if let Err(e) = client.get_job(&JobId::new("20240601-100000-1")).await {
                assert!(typed(&e));
            }
            if let Err(e) = client.list_jobs().await { assert!(typed(&e)); }
        });
    }
}

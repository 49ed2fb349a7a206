//! Counting what a scan sends: an SDK interceptor that sees every HTTP attempt.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

/// What one scan did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanStats {
    /// HTTP requests sent, retries included.
    pub requests: u64,
    /// Requests per operation, keyed `Service:Operation` (the SDK's names, e.g. `CloudTrail:GetTrailStatus`).
    pub operations: BTreeMap<String, u64>,
    /// Calls recorded as error objects.
    pub errors: u64,
    /// Wall time of the scan.
    pub elapsed: Duration,
}

impl ScanStats {
    /// The operations seen on the wire, as `(service, operation)` pairs.
    pub fn operations_seen(&self) -> Vec<(String, String)> {
        self.operations
            .keys()
            .filter_map(|k| k.split_once(':'))
            .map(|(s, o)| (s.to_string(), o.to_string()))
            .collect()
    }
}

/// An interceptor that counts each HTTP attempt by operation. Clones share their counts.
#[derive(Debug, Clone, Default)]
pub struct RequestCounter {
    inner: Arc<Mutex<BTreeMap<String, u64>>>,
}

impl RequestCounter {
    pub fn new() -> Self {
        Self::default()
    }

    /// The counts so far, keyed `Service:Operation`.
    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.inner.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// The total of requests so far.
    pub fn total(&self) -> u64 {
        self.snapshot().values().sum()
    }
}

impl Intercept for RequestCounter {
    fn name(&self) -> &'static str {
        "trailcheck::RequestCounter"
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let key = match cfg.load::<Metadata>() {
            Some(m) => format!("{}:{}", m.service(), m.name()),
            None => "unknown:unknown".to_string(),
        };
        if let Ok(mut map) = self.inner.lock() {
            *map.entry(key).or_insert(0) += 1;
        }
        Ok(())
    }
}

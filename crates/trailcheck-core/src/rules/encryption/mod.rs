//! Encryption: are the log files encrypted with a key the account controls?

mod kms_encryption;
mod kms_key_rotation;
mod kms_key_usable;

pub use kms_encryption::KmsEncryption;
pub use kms_key_rotation::KmsKeyRotation;
pub use kms_key_usable::KmsKeyUsable;

use crate::model::TrailView;
use crate::rule::{Context, Rule};
use crate::rules::support::foreign_owner;
use crate::snapshot::KmsKeyCalls;

pub(crate) fn all() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(KmsEncryption),
        Box::new(KmsKeyRotation),
        Box::new(KmsKeyUsable),
    ]
}

/// One distinct KMS key used by trails.
pub(crate) struct TrailKey<'t, 'a> {
    /// The key as the trails name it (`KmsKeyId`, normally a key ARN).
    pub id: &'a str,
    pub trails: Vec<&'t TrailView<'a>>,
    /// Its recorded calls, if any.
    pub calls: Option<&'a KmsKeyCalls>,
}

impl TrailKey<'_, '_> {
    pub(crate) fn region(&self) -> Option<&str> {
        crate::model::arn_region(self.id)
    }

    pub(crate) fn trail_names(&self) -> String {
        let names: Vec<String> = self.trails.iter().map(|t| t.name.to_string()).collect();
        if names.len() == 1 {
            format!("trail {}", names[0])
        } else {
            format!("trails {}", super::list(&names))
        }
    }

    /// The message of an UNKNOWN finding when the call for this key is missing or failed.
    pub(crate) fn gap(
        &self,
        ctx: &Context<'_>,
        action: &str,
        err: Option<&crate::snapshot::AwsError>,
    ) -> String {
        let by = self.trail_names();
        match (foreign_owner(ctx, self.id), err) {
            (Some(owner), _) if err.is_none_or(|e| e.is_access_denied() || e.code == "NotFoundException") => format!(
                "KMS key {} (used by {by}) belongs to account {owner}: {action} {}. Scan account {owner} to judge it.",
                self.id,
                err.map(|e| format!("failed ({e})")).unwrap_or_else(|| "was not collected".to_string())
            ),
            _ => format!("{} (used by {by}).", crate::model::Gap::new(action, self.id, err)),
        }
    }
}

/// The distinct keys of the account's trails, sorted.
pub(crate) fn trail_keys<'t, 'a>(ctx: &'t Context<'a>) -> Vec<TrailKey<'t, 'a>> {
    let keys = ctx.snapshot.kms.as_ref().map(|k| &k.keys);
    let mut out: Vec<TrailKey<'t, 'a>> = Vec::new();
    for t in &ctx.account.trails {
        let Some(id) = t.trail.kms_key_id.as_deref().filter(|k| !k.is_empty()) else {
            continue;
        };
        if let Some(k) = out.iter_mut().find(|k| k.id == id) {
            k.trails.push(t);
            continue;
        }
        // By ARN; else a key whose ARN ends with the bare key id, or whose DescribeKey names it.
        let calls = keys.and_then(|m| {
            m.get(id).or_else(|| {
                m.iter()
                    .find(|(arn, c)| {
                        arn.ends_with(&format!("/{id}"))
                            || c.describe_key
                                .as_ref()
                                .and_then(|d| d.ok())
                                .is_some_and(|d| {
                                    d.key_metadata.arn.as_deref() == Some(id)
                                        || d.key_metadata.key_id == id
                                })
                    })
                    .map(|(_, c)| c)
            })
        });
        out.push(TrailKey {
            id,
            trails: vec![t],
            calls,
        });
    }
    out.sort_by(|a, b| a.id.cmp(b.id));
    out
}

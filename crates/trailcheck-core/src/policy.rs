//! Just enough of IAM policy documents (bucket policies) for the exposure rules: statements,
//! principals, actions and conditions, read from the JSON string `GetBucketPolicy` returns.
//!
//! IAM accepts a single value or a list almost everywhere (`Statement`, `Action`, `Resource`,
//! principal values, condition values); both are read here.

use serde_json::Value;

/// Condition keys that narrow a public principal to a known account, organization, network or
/// source resource (keys are case-insensitive in IAM).
pub const NARROWING_KEYS: &[&str] = &[
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourcevpce",
    "aws:sourcevpc",
    "aws:sourceip",
    "aws:userid",
];

/// One condition: `{"<operator>": {"<key>": <values>}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub operator: String,
    pub key: String,
    pub values: Vec<String>,
}

impl Condition {
    /// Whether the condition restricts requests to the values it names: a narrowing key, with a
    /// positive operator (not `StringNotEquals`, `NotIpAddress`, `Null`), without `IfExists`
    /// (absent keys would pass) and without a value that matches everything.
    pub fn narrows(&self) -> bool {
        let op = self.operator.to_ascii_lowercase();
        let op = op.strip_prefix("forallvalues:").unwrap_or(&op);
        let op = op.strip_prefix("foranyvalue:").unwrap_or(op);
        NARROWING_KEYS.contains(&self.key.to_ascii_lowercase().as_str())
            && !op.contains("not")
            && !op.ends_with("ifexists")
            && op != "null"
            && !self.values.is_empty()
            && !self
                .values
                .iter()
                .any(|v| v == "*" || v == "0.0.0.0/0" || v == "::/0")
    }
}

/// One policy statement.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Statement {
    pub sid: Option<String>,
    /// `Effect: Allow`.
    pub allow: bool,
    /// `(kind, value)` pairs: `("*", "*")` for `"Principal": "*"`, `("AWS", "*")`,
    /// `("Service", "cloudtrail.amazonaws.com")`...
    pub principals: Vec<(String, String)>,
    /// The statement uses `NotPrincipal` rather than `Principal`.
    pub not_principal: bool,
    pub actions: Vec<String>,
    /// The statement uses `NotAction` rather than `Action`.
    pub not_action: bool,
    pub resources: Vec<String>,
    pub conditions: Vec<Condition>,
}

/// Reads a string or a list of strings (other values are ignored).
fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| match x {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                Value::Bool(b) => Some(b.to_string()),
                _ => None,
            })
            .collect(),
        Some(Value::Number(n)) => vec![n.to_string()],
        Some(Value::Bool(b)) => vec![b.to_string()],
        _ => Vec::new(),
    }
}

fn principals(v: &Value) -> Vec<(String, String)> {
    match v {
        Value::String(s) => vec![("*".to_string(), s.clone())],
        Value::Object(m) => m
            .iter()
            .flat_map(|(kind, vals)| {
                strings(Some(vals))
                    .into_iter()
                    .map(move |x| (kind.clone(), x))
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Gets a key case-insensitively (IAM element names are case-sensitive, but hand-written
/// policies in snapshots are not always careful).
fn get<'a>(m: &'a serde_json::Map<String, Value>, key: &str) -> Option<&'a Value> {
    m.get(key).or_else(|| {
        m.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

impl Statement {
    fn from_value(v: &Value) -> Option<Statement> {
        let m = v.as_object()?;
        let mut st = Statement {
            sid: get(m, "Sid").and_then(Value::as_str).map(str::to_string),
            allow: get(m, "Effect")
                .and_then(Value::as_str)
                .is_some_and(|e| e.eq_ignore_ascii_case("Allow")),
            ..Default::default()
        };
        if let Some(p) = get(m, "Principal") {
            st.principals = principals(p);
        } else if let Some(p) = get(m, "NotPrincipal") {
            st.principals = principals(p);
            st.not_principal = true;
        }
        if let Some(a) = get(m, "Action") {
            st.actions = strings(Some(a));
        } else if let Some(a) = get(m, "NotAction") {
            st.actions = strings(Some(a));
            st.not_action = true;
        }
        st.resources = strings(get(m, "Resource").or_else(|| get(m, "NotResource")));
        if let Some(Value::Object(ops)) = get(m, "Condition") {
            for (op, keys) in ops {
                if let Value::Object(keys) = keys {
                    for (key, vals) in keys {
                        st.conditions.push(Condition {
                            operator: op.clone(),
                            key: key.clone(),
                            values: strings(Some(vals)),
                        });
                    }
                }
            }
        }
        Some(st)
    }

    /// A name for messages: the `Sid`, else the statement's position.
    pub fn label(&self, index: usize) -> String {
        match &self.sid {
            Some(s) if !s.is_empty() => format!("statement {s}"),
            _ => format!("statement #{}", index + 1),
        }
    }

    /// True when the principal is everyone: `"*"`, `{"AWS": "*"}` (alone or in a list), or a
    /// `NotPrincipal` (everyone but the listed principals).
    pub fn has_public_principal(&self) -> bool {
        self.not_principal
            || self
                .principals
                .iter()
                .any(|(kind, v)| v == "*" && (kind == "*" || kind.eq_ignore_ascii_case("AWS")))
    }

    /// The first condition that narrows the statement, if any.
    pub fn narrowing_condition(&self) -> Option<&Condition> {
        self.conditions.iter().find(|c| c.narrows())
    }

    /// Whether the statement names the service principal (`cloudtrail.amazonaws.com`).
    pub fn names_service(&self, service: &str) -> bool {
        !self.not_principal
            && self.principals.iter().any(|(kind, v)| {
                kind.eq_ignore_ascii_case("Service") && v.eq_ignore_ascii_case(service)
            })
    }

    /// Whether the statement's actions include `action` (IAM wildcards `*` and `?`, case-insensitive).
    pub fn covers_action(&self, action: &str) -> bool {
        let hit = self.actions.iter().any(|a| wildcard_match(a, action));
        if self.not_action {
            !hit
        } else {
            hit
        }
    }

    /// Whether some condition tests one of `keys` (case-insensitive), with any operator.
    pub fn has_condition_key(&self, keys: &[&str]) -> bool {
        self.conditions
            .iter()
            .any(|c| keys.iter().any(|k| c.key.eq_ignore_ascii_case(k)))
    }
}

/// IAM-style wildcard match: `*` any run, `?` one character; case-insensitive.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_ascii_lowercase().chars().collect();
    let t: Vec<char> = text.to_ascii_lowercase().chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let (mut star, mut mark) = (None::<usize>, 0usize);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// A parsed policy document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Policy {
    pub statements: Vec<Statement>,
}

impl Policy {
    /// Parses a policy document; `Statement` may be one object or a list.
    pub fn parse(document: &str) -> Result<Policy, String> {
        let v: Value = serde_json::from_str(document)
            .map_err(|e| format!("the policy is not valid JSON ({e})"))?;
        let Some(m) = v.as_object() else {
            return Err("the policy is not a JSON object".to_string());
        };
        let statements = match get(m, "Statement") {
            Some(Value::Array(a)) => a.iter().filter_map(Statement::from_value).collect(),
            Some(o @ Value::Object(_)) => Statement::from_value(o).into_iter().collect(),
            _ => Vec::new(),
        };
        Ok(Policy { statements })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(wildcard_match("s3:*", "s3:PutObject"));
        assert!(wildcard_match("*", "s3:PutObject"));
        assert!(wildcard_match("s3:Put*", "s3:putobject"));
        assert!(wildcard_match("s3:PutObjec?", "s3:PutObject"));
        assert!(!wildcard_match("s3:Get*", "s3:PutObject"));
        assert!(!wildcard_match("s3:PutObjectAcl", "s3:PutObject"));
    }

    #[test]
    fn statement_forms() {
        let p = Policy::parse(
            r#"{"Statement": {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::1:root", "*"]},
                "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/*"],
                "Condition": {"StringEqualsIfExists": {"aws:SourceArn": "arn:x"}}}}"#,
        )
        .unwrap();
        let s = &p.statements[0];
        assert!(s.allow && s.has_public_principal());
        assert!(
            s.narrowing_condition().is_none(),
            "IfExists does not narrow"
        );
        let p = Policy::parse(
            r#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": ["s3:*"],
                "Condition": {"StringEquals": {"AWS:PrincipalOrgID": ["o-123"]}}}]}"#,
        )
        .unwrap();
        assert!(p.statements[0].narrowing_condition().is_some());
        assert!(p.statements[0].covers_action("s3:PutObject"));
        let p = Policy::parse(
            r#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                "Condition": {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}}]}"#,
        )
        .unwrap();
        assert!(p.statements[0].narrowing_condition().is_none());
        assert!(Policy::parse("not json").is_err());
    }
}

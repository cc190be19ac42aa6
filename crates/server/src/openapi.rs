//! The OpenAPI 3 document served at `/openapi.json`, built from the route table in
//! `lib.rs` plus the request and response schemas below.

use serde_json::{json, Map, Value};

use crate::ROUTES;

fn error_response(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

fn schemas() -> Value {
    json!({
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {"type": "object", "required": ["code", "message"], "properties": {
                    "code": {"type": "string", "example": "invalid_request"},
                    "message": {"type": "string"}
                }},
                "detail": {"type": "string", "description": "The message again, where yente clients look for it"}
            }
        },
        "Query": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "id": {"description": "Echoed back with the result"},
                "name": {"type": "string", "example": "Vladimir Poutine", "maxLength": redline_matching::MAX_NAME_CHARS},
                "schema": {"type": "string", "enum": ["person", "organization", "vessel", "aircraft"]},
                "birth_date": {"type": "string", "example": "1952-10-07"},
                "country": {"type": "string", "example": "ru"},
                "identifiers": {"type": "array", "items": {"type": "string"}}
            }
        },
        "ScreenRequest": {
            "description": "One query (its fields at the top level) or a batch (`queries`)",
            "oneOf": [
                {"allOf": [{"$ref": "#/components/schemas/Query"}, {"$ref": "#/components/schemas/ScreenOptions"}]},
                {"allOf": [
                    {"type": "object", "required": ["queries"], "properties": {
                        "queries": {"type": "array", "maxItems": 1000, "items": {"$ref": "#/components/schemas/Query"}}
                    }},
                    {"$ref": "#/components/schemas/ScreenOptions"}
                ]}
            ]
        },
        "ScreenOptions": {
            "type": "object",
            "properties": {
                "threshold": {"type": "number", "exclusiveMinimum": 0, "maximum": 1, "default": redline_matching::DEFAULT_THRESHOLD},
                "limit": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10},
                "sources": {"type": "array", "description": "Each must have an active list version, or the request is refused", "items": {"type": "string", "enum": ["ofac-sdn", "un-sc", "uk-hmt", "opensanctions"]}},
                "dry_run": {"type": "boolean", "default": false, "description": "Screen without raising alerts (a what-if)"}
            }
        },
        "Match": {
            "type": "object",
            "required": ["entity_id", "score", "schema", "name", "caption", "source", "explanation"],
            "properties": {
                "entity_id": {"type": "string", "example": "ofac-sdn:35096"},
                "score": {"type": "number"},
                "schema": {"type": "string"},
                "name": {"type": "string", "description": "The list name that matched"},
                "caption": {"type": "string"},
                "programs": {"type": "array", "items": {"type": "string"}},
                "source": {"type": "string"},
                "explanation": {"type": "object", "description": "Token alignment, coverage, the weight and role of each list-name word (list_words), the query words taken for words around the name (context_tokens), and adjustments"},
                "suppressed": {"type": "boolean", "description": "A remembered false positive on unchanged data hides this match: no alert"},
                "suppression": {"type": "object", "description": "The suppression that hid it: id, alert_id, approved_by (one or two reviewer keys), at"}
            }
        },
        "ScreenResponse": {
            "type": "object",
            "properties": {
                "query": {"type": "string"},
                "list_versions": {"type": "array", "items": {"type": "string"}},
                "matches": {"type": "array", "items": {"$ref": "#/components/schemas/Match"}},
                "identifier_problems": {"type": "array", "items": {"type": "string"}, "description": "Labelled registry numbers among the identifiers that fail their check (`INN 7750005483`)"},
                "warnings": {"type": "array", "items": {"type": "string"}, "description": "What the query gave that could not be used (a country that is neither an ISO code nor a known name)"},
                "stale_lists": {"$ref": "#/components/schemas/StaleLists"},
                "results": {"type": "array", "description": "For a batch: one entry per query, in order",
                    "items": {"type": "object", "properties": {
                        "id": {}, "query": {"type": "string"},
                        "matches": {"type": "array", "items": {"$ref": "#/components/schemas/Match"}},
                        "identifier_problems": {"type": "array", "items": {"type": "string"}}
                    }}}
            }
        },
        "Trade": {
            "type": "object",
            "properties": {
                "parties": {"type": "array", "items": {"type": "object", "properties": {
                    "role": {"type": "string"}, "name": {"type": "string"}, "country": {"type": "string"},
                    "schema": {"type": "string"}, "identifiers": {"type": "array", "items": {"type": "string"}}}}},
                "goods": {"type": "array", "items": {"type": "object", "properties": {
                    "hs_code": {"type": "string"}, "description": {"type": "string"},
                    "quantity": {}, "value": {}}}},
                "route": {"type": "object", "properties": {
                    "origin": {"type": "string"}, "transit": {"type": "array", "items": {"type": "string"}},
                    "destination": {"type": "string"}}},
                "vessel": {"type": "object", "properties": {"name": {"type": "string"}, "imo": {"type": "string"}}}
            }
        },
        "TradeDecision": {
            "type": "object",
            "properties": {
                "decision": {"type": "string", "enum": ["PASS", "HOLD", "BLOCK"]},
                "reasons": {"type": "array", "items": {"type": "object"}},
                "goods_list_version": {"type": "string"},
                "route_policy_version": {"type": "string"},
                "list_versions": {"type": "array", "items": {"type": "string"}},
                "decision_id": {"type": "integer"}
            }
        },
        "StaleLists": {
            "type": "array",
            "description": "The lists screened against that are past their freshness limit: not a clean answer",
            "items": {"type": "object", "properties": {
                "version": {"type": "string"}, "source": {"type": "string"},
                "dated": {"type": "string", "description": "YYYY-MM-DD the age counts from"},
                "dated_by": {"type": "string", "enum": ["published", "loaded"]},
                "age_days": {"type": "integer"}, "stale_after_days": {"type": "integer"},
                "stale": {"type": "boolean"}, "past_hard_limit": {"type": "boolean"}
            }}
        },
        "SuppressionRevocation": {
            "type": "object",
            "required": ["reason"],
            "properties": {"reason": {"type": "string"}}
        },
        "AlertAssignment": {
            "type": "object",
            "required": ["assignee"],
            "properties": {"assignee": {"type": "string", "nullable": true}}
        },
        "AlertNote": {
            "type": "object",
            "required": ["text"],
            "properties": {"text": {"type": "string", "maxLength": 10000}}
        },
        "AlertDecision": {
            "type": "object",
            "required": ["action", "reason"],
            "properties": {
                "action": {"type": "string", "enum": ["escalate", "true_match", "false_positive", "release", "block"]},
                "reason": {"type": "string"}
            }
        },
        "ListFile": {
            "type": "string",
            "format": "binary",
            "description": "One list file as its publisher ships it: OFAC SDN CSV, UN Security Council XML, UK OFSI XLSX, OpenSanctions FollowTheMoney JSON lines"
        },
        "ListLoad": {
            "type": "object",
            "required": ["version", "created", "list_versions"],
            "properties": {
                "version": {"type": "object", "description": "The stored version: id (<source>@<date>-<content hash>), counts, file hash"},
                "created": {"type": "boolean", "description": "false: the same content was loaded before and is active again"},
                "warnings": {"type": "integer"},
                "list_versions": {"type": "array", "items": {"type": "string"}, "description": "What this replica serves now"}
            }
        },
        "PaymentMessage": {
            "type": "string",
            "description": "The raw message: ISO 20022 XML (pacs.008, pacs.009, pain.001, …, with or without AppHdr) or SWIFT MT FIN text (MT103, MT202, MT202COV, …)"
        },
        "PaymentDecision": {
            "type": "object",
            "required": ["decision"],
            "properties": {
                "decision": {"type": "string", "enum": ["PASS", "HOLD", "BLOCK"]},
                "decision_id": {"type": "integer", "description": "The recorded decision, for `redline audit replay`"},
                "message_type": {"type": "string"},
                "message_sha256": {"type": "string"},
                "list_versions": {"type": "array", "items": {"type": "string"}},
                "policy_version": {"type": "string"},
                "hits": {"type": "array", "items": {"type": "object", "properties": {
                    "field": {"type": "string"}, "value": {"type": "string"}, "kind": {"type": "string"},
                    "action": {"type": "string"}, "entity_id": {"type": "string"}, "score": {"type": "number"},
                    "reason": {"type": "string"}
                }}},
                "evidence": {"type": "object", "description": "What the decision rests on besides names", "properties": {
                    "identifiers": {"type": "array", "description": "Every registry number read (INN, OGRN, OGRNIP, KPP, USCC, BIK): field, scheme, value, valid, problem, listed entity ids"},
                    "parties": {"type": "array", "description": "Every party and bank: role, field, identified_by (a registry number, BIC, LEI or a name clear of the lists) or not_identified"},
                    "readings": {"type": "array", "description": "Names of a rouble payment read back from SWIFT-RUR into Cyrillic"},
                    "currency_operation_codes": {"type": "array", "description": "Russian currency-operation codes (VO) in the remittance"},
                    "release": {"type": "object", "description": "Under an evidence policy (`?policy=russia-evidence`): countries, released, missing, lists_checked"}
                }},
                "stale_lists": {"$ref": "#/components/schemas/StaleLists"},
                "error": {"type": "string", "description": "Set when the message could not be screened (answered HOLD, status 422 or 503)"}
            }
        },
        "EntityMatchQuery": {
            "type": "object",
            "required": ["queries"],
            "properties": {
                "queries": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/EntityExample"}},
                "weights": {"type": "object"},
                "config": {"type": "object"}
            }
        },
        "EntityExample": {
            "type": "object",
            "required": ["schema", "properties"],
            "properties": {
                "id": {"type": "string"},
                "schema": {"type": "string", "example": "Person"},
                "properties": {"type": "object", "additionalProperties": {"oneOf": [
                    {"type": "string"}, {"type": "array", "items": {"type": "string"}}
                ]}}
            }
        },
        "EntityMatchResponse": {
            "type": "object",
            "properties": {
                "responses": {"type": "object", "additionalProperties": {"type": "object", "properties": {
                    "status": {"type": "integer"},
                    "results": {"type": "array", "items": {"type": "object"}},
                    "total": {"type": "object", "properties": {"value": {"type": "integer"}, "relation": {"type": "string"}}},
                    "query": {"$ref": "#/components/schemas/EntityExample"}
                }}},
                "matcher": {"type": "object"},
                "limit": {"type": "integer"},
                "list_versions": {"type": "array", "items": {"type": "string"}}
            }
        }
    })
}

/// Request body and success schema of a route, by path.
fn bodies(path: &str) -> (Option<&'static str>, &'static str) {
    match path {
        "/v1/screen" => (Some("ScreenRequest"), "ScreenResponse"),
        "/match/{dataset}" => (Some("EntityMatchQuery"), "EntityMatchResponse"),
        "/v1/payments/screen" => (Some("PaymentMessage"), "PaymentDecision"),
        "/v1/alerts/{id}/decide" => (Some("AlertDecision"), ""),
        "/v1/alerts/{id}/assign" => (Some("AlertAssignment"), ""),
        "/v1/alerts/{id}/notes" => (Some("AlertNote"), ""),
        "/v1/suppressions/{id}/revoke" => (Some("SuppressionRevocation"), ""),
        "/v1/trade/screen" => (Some("Trade"), "TradeDecision"),
        "/v1/lists/{source}" => (Some("ListFile"), "ListLoad"),
        _ => (None, ""),
    }
}

fn parameters(path: &str) -> Value {
    let mut params = Vec::new();
    for segment in path.split('/') {
        if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            params.push(
                json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}),
            );
        }
    }
    if path == "/v1/lists/{source}" {
        for (name, desc) in [
            (
                "published",
                "The publication date, YYYY-MM-DD, when the file does not state it",
            ),
            ("file", "The file's name, recorded with the version"),
        ] {
            params.push(json!({"name": name, "in": "query", "required": false, "description": desc, "schema": {"type": "string"}}));
        }
    }
    if path == "/v1/payments/screen" {
        params.push(json!({"name": "policy", "in": "query", "required": false,
            "description": "A shipped policy profile to screen under instead of the server's: `default` or `russia-evidence` (Russia and Belarus holds released on evidence)",
            "schema": {"type": "string", "enum": ["default", "russia-evidence"]}}));
    }
    if path == "/v1/alerts" {
        for (name, kind, desc) in [
            (
                "status",
                "string",
                "A review status, `open` (every status still in the queue; the default) or `all`",
            ),
            ("kind", "string", "`name`, `subject`, `payment` or `trade`"),
            ("source", "string", "A list id: alerts with a match on it"),
            ("program", "string", "A programme as the list writes it"),
            (
                "min_score",
                "number",
                "The top live match scores at least this (0 to 1)",
            ),
            (
                "max_score",
                "number",
                "The top live match scores at most this (0 to 1)",
            ),
            (
                "assignee",
                "string",
                "A reviewer, or `-` for alerts nobody has taken",
            ),
            (
                "older_than_days",
                "integer",
                "Raised at least this many days ago",
            ),
            (
                "sort",
                "string",
                "`oldest` (the open queue's default), `newest` (otherwise), `score` or `updated`",
            ),
            ("offset", "integer", "Alerts to skip (default 0)"),
            (
                "limit",
                "integer",
                "Alerts per page (default 100, at most 1000); `total` counts them all",
            ),
        ] {
            params.push(json!({"name": name, "in": "query", "required": false, "description": desc, "schema": {"type": kind}}));
        }
    }
    if path == "/match/{dataset}" {
        for (name, kind, desc) in [
            (
                "limit",
                "integer",
                "Results per query (default 5, at most 500)",
            ),
            (
                "threshold",
                "number",
                "Score from which a result is a match (default: Redline's alert threshold)",
            ),
            (
                "cutoff",
                "number",
                "Lowest score returned (default: the threshold)",
            ),
            (
                "algorithm",
                "string",
                "yente algorithm name; every name is answered by Redline's engine",
            ),
            (
                "include_dataset",
                "string",
                "Only these datasets (repeatable)",
            ),
            (
                "exclude_dataset",
                "string",
                "Not these datasets (repeatable)",
            ),
            ("exclude_schema", "string", "Not these schemas (repeatable)"),
            (
                "exclude_entity_ids",
                "string",
                "Not these entities (repeatable)",
            ),
            (
                "topics",
                "string",
                "Only entities with one of these topics (repeatable)",
            ),
        ] {
            params.push(json!({"name": name, "in": "query", "required": false, "description": desc, "schema": {"type": kind}}));
        }
    }
    Value::Array(params)
}

pub fn document() -> Value {
    let mut paths: Map<String, Value> = Map::new();
    for route in &ROUTES {
        let (request, response) = bodies(route.path);
        let mut op = json!({
            "summary": route.summary,
            "tags": [route.tag],
            "parameters": parameters(route.path),
            "responses": {
                "200": if response.is_empty() {
                    json!({"description": "OK"})
                } else {
                    json!({"description": "OK", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{response}")}}}})
                },
                "400": error_response("The request cannot be understood; the message names the field"),
                "413": error_response("The body is larger than max_body_bytes"),
                "503": error_response("No list loaded, overloaded (Retry-After) or timed out"),
            }
        });
        if let Some(request) = request {
            let media = if request == "PaymentMessage" {
                json!({"application/xml": {"schema": {"$ref": "#/components/schemas/PaymentMessage"}},
                       "text/plain": {"schema": {"$ref": "#/components/schemas/PaymentMessage"}}})
            } else if request == "ListFile" {
                json!({"application/octet-stream": {"schema": {"$ref": "#/components/schemas/ListFile"}}})
            } else {
                json!({"application/json": {"schema": {"$ref": format!("#/components/schemas/{request}")}}})
            };
            op["requestBody"] = json!({"required": true, "content": media});
        }
        match route.role {
            Some(role) => {
                op["security"] = json!([{"bearer": []}, {"apiKey": []}]);
                op["x-required-role"] = json!(role.as_str());
                op["responses"]["401"] = error_response("No valid API key");
                op["responses"]["403"] = error_response(&format!("The key's role is below {role}"));
            }
            None => op["security"] = json!([]),
        }
        let entry = paths
            .entry(route.path.to_string())
            .or_insert_with(|| json!({}));
        entry[route.method] = op;
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Redline screening API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Sanctions screening: Redline's API under /v1 and a yente-compatible /match and /entities.",
            "license": {"name": "Apache-2.0"}
        },
        "paths": paths,
        "components": {
            "schemas": schemas(),
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "Authorization: Bearer <key>"},
                "apiKey": {"type": "apiKey", "in": "header", "name": "Authorization", "description": "Authorization: ApiKey <key> (as yente clients send it)"}
            }
        }
    })
}

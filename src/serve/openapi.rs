//! `/api/v1/openapi.json`: the API described in OpenAPI 3.1. The request bodies' schemas
//! are derived (schemars) from the types the server reads requests into, so the
//! description cannot drift from what is accepted; the routes are listed here beside the
//! router's table (a test checks that every route the router has is described).

use super::model::{CommentIn, CommentPatch, DecisionIn, SessionIn, ShareIn};
use serde_json::{Map, Value, json};

/// (method, path, role needed, summary, request body schema)
pub type Route = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);

pub const ROUTES: &[Route] = &[
    (
        "get",
        "/api/v1/openapi.json",
        "none",
        "This description",
        None,
    ),
    (
        "post",
        "/api/v1/sessions",
        "share link or owner",
        "Exchange a share link's token (and its password) for a session with a display name",
        Some("SessionIn"),
    ),
    (
        "get",
        "/api/v1/me",
        "view",
        "Who the token stands for",
        None,
    ),
    (
        "get",
        "/api/v1/dramas",
        "view",
        "The dramas and versions the token reaches",
        None,
    ),
    (
        "get",
        "/api/v1/dramas/{drama}",
        "view",
        "A drama and its versions, in order of publication",
        None,
    ),
    (
        "post",
        "/api/v1/dramas/{drama}/versions",
        "owner",
        "Publish a version: the request body is a .zip (query: name); files are stored once by content hash",
        None,
    ),
    (
        "get",
        "/api/v1/dramas/{drama}/shares",
        "owner",
        "The drama's share links (never their tokens)",
        None,
    ),
    (
        "post",
        "/api/v1/dramas/{drama}/shares",
        "owner",
        "Make a share link: role view, comment or approve; optional version, expiry, password",
        Some("ShareIn"),
    ),
    (
        "delete",
        "/api/v1/shares/{id}",
        "owner",
        "Revoke a share link and every session made from it",
        None,
    ),
    (
        "get",
        "/api/v1/versions/{v}",
        "view",
        "A version and its outline (frames, shots, lines)",
        None,
    ),
    (
        "get",
        "/api/v1/versions/{v}/comments",
        "view",
        "The version's comments (query: status=open|resolved)",
        None,
    ),
    (
        "post",
        "/api/v1/versions/{v}/comments",
        "comment",
        "Add a comment; its id is the client's UUID, so a retry stores it once (201 first, 200 after)",
        Some("CommentIn"),
    ),
    (
        "patch",
        "/api/v1/versions/{v}/comments/{id}",
        "comment",
        "Edit (its author) or resolve/reopen a comment; `revision` guards against lost edits (409); status `open` brings a deleted comment back (its author)",
        Some("CommentPatch"),
    ),
    (
        "delete",
        "/api/v1/versions/{v}/comments/{id}",
        "comment",
        "Delete a comment (its author, or the owner): it leaves the lists and exports and can be brought back",
        None,
    ),
    (
        "get",
        "/api/v1/versions/{v}/decisions",
        "view",
        "Decisions: the latest per target, and the history",
        None,
    ),
    (
        "post",
        "/api/v1/versions/{v}/decisions",
        "approve",
        "Approve, request changes or set pending on the version, a shot or a line",
        Some("DecisionIn"),
    ),
    (
        "get",
        "/api/v1/versions/{v}/events",
        "view",
        "Live updates (Server-Sent Events; Last-Event-ID resumes)",
        None,
    ),
    (
        "get",
        "/api/v1/versions/{v}/export.json",
        "view",
        "Everything, as JSON that /import reads back",
        None,
    ),
    (
        "get",
        "/api/v1/versions/{v}/export.csv",
        "view",
        "One row a comment",
        None,
    ),
    (
        "get",
        "/api/v1/versions/{v}/export.edl",
        "view",
        "CMX 3600 EDL, a locator per comment (query: start=01:00:00:00)",
        None,
    ),
    (
        "post",
        "/api/v1/versions/{v}/import",
        "owner",
        "Re-import an export.json (idempotent by id)",
        None,
    ),
    (
        "get",
        "/api/v1/versions/{v}/files/{path}",
        "view",
        "The version's files (manifest.json, images, sound)",
        None,
    ),
];

pub fn document() -> Value {
    let mut schemas = Map::new();
    let mut add = |name: &str, schema: schemars::Schema| {
        let mut v = schema.to_value();
        // Nested definitions move to components, as OpenAPI wants them.
        if let Some(defs) = v.as_object_mut().and_then(|o| o.remove("$defs"))
            && let Some(defs) = defs.as_object()
        {
            for (k, d) in defs {
                schemas.insert(k.clone(), d.clone());
            }
        }
        if let Some(o) = v.as_object_mut() {
            o.remove("$schema");
        }
        schemas.insert(name.to_string(), v);
    };
    add("CommentIn", schemars::schema_for!(CommentIn));
    add("CommentPatch", schemars::schema_for!(CommentPatch));
    add("DecisionIn", schemars::schema_for!(DecisionIn));
    add("ShareIn", schemars::schema_for!(ShareIn));
    add("SessionIn", schemars::schema_for!(SessionIn));
    schemas.insert(
        "Error".into(),
        json!({
            "type": "object",
            "properties": { "error": { "type": "object", "properties": {
                "status": {"type": "integer"},
                "field": {"type": ["string", "null"], "description": "the JSON path, header or parameter at fault"},
                "message": {"type": "string"},
                "text": {"type": "string", "description": "field: message"}
            }}}
        }),
    );
    let mut paths = Map::new();
    for (method, path, role, summary, body) in ROUTES {
        let mut op = json!({
            "summary": summary,
            "description": format!("Needs: {role}."),
            "responses": {
                "200": {"description": "OK"},
                "400": {"description": "Bad input, with the field at fault", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "401": {"description": "No token, or not a valid one"},
                "403": {"description": "The token's role does not allow it"},
                "404": {"description": "Not found, or out of the token's reach"},
                "409": {"description": "A conflict: another record with this id, or an edit on an old revision"},
                "413": {"description": "Over a cap (body 10 000 characters, 200 shapes, 5 000 points…)"},
                "429": {"description": "Too many requests with this token (Retry-After)"},
                "503": {"description": "The database is unavailable: nothing was stored"}
            }
        });
        if *role != "none" {
            op["security"] = json!([{"bearer": []}]);
        }
        if let Some(b) = body {
            op["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{b}")}}}});
        }
        let params: Vec<Value> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|p| json!({"name": p, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        if !params.is_empty() {
            op["parameters"] = Value::Array(params);
        }
        paths
            .entry(path.to_string())
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .map(|o| o.insert(method.to_string(), op));
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Manju review API",
            "version": "1",
            "description": "Comments, drawings and decisions on comic-drama versions. Tokens go in `Authorization: Bearer`. See docs/review-api.md."
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_description_covers_the_request_types() {
        let d = document();
        let c = &d["components"]["schemas"]["CommentIn"];
        assert_eq!(c["required"], json!(["id", "body"]), "{c}");
        assert!(d["components"]["schemas"]["AnchorIn"]["properties"]["range"].is_object());
        assert!(d["components"]["schemas"]["Shape"].is_object());
        assert_eq!(
            d["paths"]["/api/v1/versions/{v}/comments"]["post"]["requestBody"]["content"]["application/json"]
                ["schema"]["$ref"],
            "#/components/schemas/CommentIn"
        );
    }

    #[test]
    fn every_route_is_described() {
        let source = include_str!("api.rs");
        for line in source
            .lines()
            .filter(|l| l.trim_start().starts_with(".route(\"/api/v1/"))
        {
            let path = line.split('"').nth(1).unwrap().replace("{*path}", "{path}");
            assert!(
                ROUTES.iter().any(|r| r.1 == path),
                "{path} is not in the OpenAPI description"
            );
        }
    }
}

//! The JSON Schema generated from the reader's tables: current on disk, and in agreement
//! with the reader when an independent validator (the `jsonschema` crate) applies it.

use crate::util::repo;
use manju::{json_schema, load_manifest};

const SCHEMA_FILE: &str = "www/schema/drama-format.schema.json";

#[test]
fn the_served_schema_is_current() {
    let generated = serde_json::to_string_pretty(&json_schema()).unwrap() + "\n";
    let path = repo().join(SCHEMA_FILE);
    if std::env::var_os("MAKE_REF").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "{SCHEMA_FILE} is stale: run `MAKE_REF=1 cargo test schema`"
    );
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&json_schema()).expect("the schema is valid JSON Schema")
}

/// Every manifest the project ships — the demo and each golden case — is valid both for
/// the reader (no errors) and for the schema.
#[test]
fn shipped_manifests_satisfy_the_schema() {
    let v = validator();
    let mut files = vec![repo().join("www/demo/manifest.json")];
    for area in std::fs::read_dir(repo().join("tests/golden")).unwrap() {
        let area = area.unwrap().path();
        if area.is_dir() {
            for f in std::fs::read_dir(&area).unwrap() {
                let f = f.unwrap().path();
                if f.extension().is_some_and(|e| e == "json") {
                    files.push(f);
                }
            }
        }
    }
    assert!(files.len() > 40);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let errors: Vec<_> = load_manifest(&text)
            .problems
            .into_iter()
            .filter(|p| p.is_error())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", file.display());
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let schema_errors: Vec<String> = v
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            schema_errors.is_empty(),
            "{}: {schema_errors:?}",
            file.display()
        );
    }
}

/// Manifests the reader rejects are rejected by the schema too.
#[test]
fn rejected_manifests_fail_the_schema() {
    let v = validator();
    let cases = [
        r#"{ "format": "manju/1", "shots": [ { "duraton": 2 } ] }"#,
        r#"{ "format": "manju/1", "shots": [ { "layers": [ { "image": "a", "opacity": 2 } ] } ] }"#,
        r#"{ "format": "manju/1", "shots": [ { "layers": [ { "image": "a", "fit": "stretch" } ] } ] }"#,
        r##"{ "format": "manju/1", "canvas": { "background": "red" }, "shots": [ {} ] }"##,
        r#"{ "format": "manju/1", "shots": [ { "camera": { "preset": "zoom-up" } } ] }"#,
        r##"{ "format": "manju/1", "shots": [ { "effects": [ { "type": "shake", "color": "#fff" } ] } ] }"##,
        r#"{ "format": "manju/1", "shots": [ { "transition": { "duration": 1 } } ] }"#,
        r#"{ "format": "manju/1", "shots": [ { "lines": [ { "text": "a", "display": "popup" } ] } ] }"#,
        r#"{ "format": "manju/1", "music": [ { "at": 1 } ], "shots": [ {} ] }"#,
        r#"{ "format": "manju/1" }"#,
    ];
    for text in cases {
        assert!(
            load_manifest(text).has_errors(),
            "the reader accepts {text}"
        );
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        assert!(!v.is_valid(&value), "the schema accepts {text}");
    }
}

/// A type as the reference page names it.
fn describe(ty: &manju::schema::Ty) -> String {
    use manju::schema::Ty;
    match ty {
        Ty::Number { min, max } => format!("number, {min} to {max}"),
        Ty::Seconds { min } => format!("seconds, ≥ {min}"),
        Ty::Text => "text".into(),
        Ty::Bool => "true or false".into(),
        Ty::Color => "colour".into(),
        Ty::ColorOrNull => "colour or null".into(),
        Ty::OneOf(names) => names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", "),
        Ty::Ease => "easing".into(),
        Ty::Numbers(n) => format!("{n} numbers"),
        Ty::Crop => "`[x, y, w, h]` or `\"xywh=…\"`".into(),
        Ty::AssetId(kind) => format!("{kind} asset id"),
        Ty::Object(def) => format!("[{}](#{})", def.name, def.name),
        Ty::ArrayOf(item) => format!("list of {}", describe(item)),
        Ty::MapOf(value) => format!("id → {}", describe(value)),
        Ty::Either(options) => options
            .iter()
            .map(describe)
            .collect::<Vec<_>>()
            .join(" or "),
        Ty::Const(s) => format!("`\"{s}\"`"),
        Ty::Any => "anything".into(),
    }
}

/// docs/reference.md: every object's fields from the schema's tables, then one example
/// per feature — each golden case, with the frames it must render.
fn reference_page() -> String {
    let mut out = String::from(
        "# Format reference (manju/1)\n\n\
         Generated from `src/model/schema.rs` and `tests/golden/` by `MAKE_REF=1 cargo test schema`;\n\
         do not edit by hand. How Manju reads the format, and why: [format.md](format.md).\n\n## Objects\n",
    );
    for def in manju::schema::DEFS {
        out += &format!(
            "\n### {}\n\n{}\n\n| field | type | default | meaning |\n|---|---|---|---|\n",
            def.name, def.doc
        );
        for f in def.fields {
            let required = if def.required.contains(&f.name) {
                " (required)"
            } else {
                ""
            };
            out += &format!(
                "| `{}`{required} | {} | {} | {} |\n",
                f.name,
                describe(&f.ty),
                f.default.map(|d| format!("`{d}`")).unwrap_or_default(),
                f.doc
            );
        }
    }
    out += "\n## Examples\n\nEach example is a golden-image test case: the manifest, and the frames it must render.\n";
    let golden = repo().join("tests/golden");
    let mut areas: Vec<_> = std::fs::read_dir(&golden)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && !p.ends_with("assets"))
        .collect();
    areas.sort();
    for area in areas {
        let name = area.file_name().unwrap().to_string_lossy().into_owned();
        out += &format!("\n### {name}\n");
        let mut cases: Vec<_> = std::fs::read_dir(&area)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        cases.sort();
        for case in cases {
            let stem = case.file_stem().unwrap().to_string_lossy().into_owned();
            let mut value: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&case).unwrap()).unwrap();
            let at = value["meta"]["at"].clone();
            value.as_object_mut().unwrap().remove("meta");
            let shots = serde_json::to_string_pretty(&value["shots"]).unwrap();
            let mut extra = String::new();
            for key in ["intro", "outro"] {
                if let Some(v) = value.get(key) {
                    extra += &format!("\"{key}\": {}\n", serde_json::to_string(v).unwrap());
                }
            }
            out += &format!("\n#### {name}/{stem}\n\n```json\n{extra}\"shots\": {shots}\n```\n\n");
            let instants: Vec<f64> = match &at {
                serde_json::Value::Array(a) => a.iter().filter_map(|n| n.as_f64()).collect(),
                n => vec![n.as_f64().unwrap_or(0.0)],
            };
            for (k, t) in instants.iter().enumerate() {
                let png = if instants.len() == 1 {
                    format!("{stem}.png")
                } else {
                    format!("{stem}.{k}.png")
                };
                out += &format!("![{stem} at {t} s](../tests/golden/{name}/{png}) ");
            }
            out += "\n";
        }
    }
    out
}

#[test]
fn the_reference_page_is_current() {
    let page = reference_page();
    let path = repo().join("docs/reference.md");
    if std::env::var_os("MAKE_REF").is_some() {
        std::fs::write(&path, &page).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == page,
        "docs/reference.md is stale: run `MAKE_REF=1 cargo test schema`"
    );
}

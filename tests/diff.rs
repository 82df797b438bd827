//! `manju diff` on two real folders: the demo, and a copy of it with one line reworded,
//! one panel repainted (other bytes under the same file name) and one shot re-timed.

use crate::util::{repo, run_manju};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `v1` (the demo as it is) and `v2` (edited) in a fresh temporary folder.
fn two_versions(name: &str) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("manju-diff-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (v1, v2) = (dir.join("v1"), dir.join("v2"));
    copy_dir(&repo().join("www/demo"), &v1);
    copy_dir(&repo().join("www/demo"), &v2);
    let path = v2.join("manifest.json");
    let mut m: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let shot = |m: &Value, id: &str| -> usize {
        m["shots"]
            .as_array()
            .unwrap()
            .iter()
            .position(|s| s["id"] == id)
            .unwrap()
    };
    let shock = shot(&m, "shock");
    m["shots"][shock]["lines"][0]["text"] = "这不可能！".into();
    let dusk = shot(&m, "dusk");
    m["shots"][dusk]["duration"] = 5.into();
    std::fs::write(&path, serde_json::to_string_pretty(&m).unwrap()).unwrap();
    // The panel of 顾辰 from behind (the storm shot), repainted: a plain grey figure.
    let pixels: Vec<u8> = (0..64 * 96).flat_map(|_| [90, 90, 90, 255]).collect();
    image::save_buffer(
        v2.join("img/gu_back.png"),
        &pixels,
        64,
        96,
        image::ExtendedColorType::Rgba8,
    )
    .unwrap();
    (v1, v2)
}

#[test]
fn diff_of_two_demo_versions_names_each_change_in_json_and_in_the_table() {
    let (v1, v2) = two_versions("demo");
    let (a, b) = (
        v1.join("manifest.json").display().to_string(),
        v2.join("manifest.json").display().to_string(),
    );
    let (code, said) = run_manju(&["diff", &a, &b, "--json"]);
    assert_eq!(code, Some(0), "{said}");
    let d: Value = serde_json::from_str(&said).unwrap_or_else(|e| panic!("{e}: {said}"));
    let shots = d["shots"].as_array().unwrap();
    let by_id = |id: &str| shots.iter().find(|s| s["id"] == id).unwrap();
    let changes = |id: &str| by_id(id)["changes"].clone();
    assert_eq!(shots.len(), 9);
    assert_eq!(changes("dusk"), serde_json::json!(["timing"]));
    let dusk = by_id("dusk");
    let old_duration = dusk["old"]["duration_us"].as_i64().unwrap();
    assert_eq!(dusk["new"]["duration_us"], 5_000_000);
    assert_eq!(
        dusk["details"][0],
        serde_json::json!({ "change": "timing", "what": "duration",
            "old_us": old_duration, "new_us": 5_000_000 })
    );
    assert_eq!(changes("storm"), serde_json::json!(["picture"]));
    assert_eq!(
        by_id("storm")["details"],
        serde_json::json!([{ "change": "picture", "what": "layer_image", "layer": 1,
            "old": "gu_back", "new": "gu_back" }])
    );
    assert_eq!(changes("shock"), serde_json::json!(["words"]));
    assert_eq!(
        by_id("shock")["details"],
        serde_json::json!([{ "change": "words", "what": "line_text", "line": 0,
            "old": "不可能！", "new": "这不可能！" }])
    );
    // Every other shot moved by what dusk grew, and is nothing to review again.
    let shift = 5_000_000 - old_duration;
    for s in shots {
        assert_eq!(s["shift_us"], if s["id"] == "dusk" { 0 } else { shift });
        if !["dusk", "storm", "shock"].contains(&s["id"].as_str().unwrap()) {
            assert_eq!(s["changes"], serde_json::json!(["unchanged"]), "{s}");
            assert_eq!(s["review"], false);
        }
    }
    assert_eq!(d["summary"]["review"], 3);
    assert_eq!(d["summary"]["unchanged"], 6);

    // The table: the same, for people; a folder may be given for its manifest.
    let (code, table) = run_manju(&["diff", &v1.display().to_string(), &v2.display().to_string()]);
    assert_eq!(code, Some(0), "{table}");
    let shifted = format!("unchanged, shifted +{:.2} s", shift as f64 / 1e6);
    let row = |id: &str| {
        table
            .lines()
            .find(|l| l.starts_with(&format!("{id} ")))
            .unwrap_or_else(|| panic!("no row {id}: {table}"))
    };
    assert!(
        table.starts_with(
            "9 shots → 9: 3 to review (3 changed, 0 added), 0 removed, 0 renamed, 6 unchanged;"
        ),
        "{table}"
    );
    assert!(row("street").contains(&shifted), "{table}");
    assert!(row("dusk").contains("timing"), "{table}");
    assert!(row("dusk").contains(" → 5.00 s"), "{table}");
    assert!(
        table.contains("    words: lines[0] text “不可能！” → “这不可能！”"),
        "{table}"
    );
    assert!(
        table.contains("    picture: layers[1] image gu_back repainted (other bytes)"),
        "{table}"
    );
    assert!(table.contains("    timing: duration "), "{table}");
    let _ = std::fs::remove_dir_all(v1.parent().unwrap());
}

#[test]
fn diff_says_which_side_does_not_open_and_where() {
    let (v1, v2) = two_versions("bad");
    let bad = v2.join("manifest.json");
    std::fs::write(
        &bad,
        "{ \"format\": \"manju/1\",\n  \"shots\": [ { \"duration\": 2, } ] }",
    )
    .unwrap();
    let (code, said) = run_manju(&[
        "diff",
        &v1.join("manifest.json").display().to_string(),
        &bad.display().to_string(),
    ]);
    assert_eq!(code, Some(1), "{said}");
    let file = bad.display().to_string();
    assert!(
        said.contains(&format!("{file}: (manifest): invalid JSON")),
        "{said}"
    );
    assert!(said.contains("(line 2, column"), "{said}");
    assert!(
        said.contains(&format!("manju: {file} cannot be opened")),
        "{said}"
    );
    let _ = std::fs::remove_dir_all(v1.parent().unwrap());
}

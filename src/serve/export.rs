//! Comments out of the server: CSV for a spreadsheet (one row a comment) and a CMX 3600
//! EDL with a locator per comment, so an editor's NLE shows the notes as markers.

use super::model::Outline;
use serde_json::Value;

/// One field of a CSV row (RFC 4180): quoted when it holds a comma, quote or line break.
/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or CR first) is
/// written with a `'` in front, so a reviewer's text stays text.
pub fn csv_field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn int_of(v: &Value, key: &str) -> Option<i64> {
    v.get(key).and_then(Value::as_i64)
}

pub const CSV_HEADER: &str = "timecode_in,timecode_out,frame,frame_end,shot,line,layer,author,status,tags,text,id,parent,created_at";

pub fn csv(outline: &Outline, comments: &[Value]) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push_str("\r\n");
    for c in comments {
        let a = &c["anchor"];
        let frame = int_of(a, "frame").unwrap_or(0);
        let end = int_of(a, "frame_end").unwrap_or(frame + 1);
        let tags = c["tags"]
            .as_array()
            .map(|t| {
                t.iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(";")
            })
            .unwrap_or_default();
        let opt = |k: &str| int_of(a, k).map(|n| n.to_string()).unwrap_or_default();
        let row = [
            outline.timecode(frame),
            outline.timecode(end),
            frame.to_string(),
            end.to_string(),
            str_of(a, "shot").to_string(),
            opt("line"),
            opt("layer"),
            str_of(c, "author").to_string(),
            str_of(c, "status").to_string(),
            tags,
            str_of(c, "body").to_string(),
            str_of(c, "id").to_string(),
            str_of(c, "parent").to_string(),
            str_of(c, "created_at").to_string(),
        ];
        let row: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A CMX 3600 EDL: an event per shot, and a `* LOC:` locator line under the shot for
/// each comment on it (red while open, green once resolved). Record times start at
/// `start` frames (0, or an hour for NLEs whose timelines start at 01:00:00:00).
pub fn edl(outline: &Outline, comments: &[Value], start: i64) -> String {
    let mut out = String::new();
    let title: String = format!("{} {}", outline.title, outline.version)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    out.push_str(&format!("TITLE: {}\r\n", title.trim()));
    out.push_str("FCM: NON-DROP FRAME\r\n\r\n");
    let tc = |n: i64| outline.timecode(n + start);
    for (i, shot) in outline.shots.iter().enumerate() {
        let (a, b) = (shot.first_frame, shot.end_frame.max(shot.first_frame + 1));
        out.push_str(&format!(
            "{:03}  {:<8} {:<5} {:<8} {} {} {} {}\r\n",
            (i % 999) + 1,
            "AX",
            "V",
            "C",
            outline.timecode(a),
            outline.timecode(b),
            tc(a),
            tc(b)
        ));
        out.push_str(&format!("* FROM CLIP NAME: {}\r\n", one_line(&shot.id, 60)));
        for c in comments
            .iter()
            .filter(|c| c["parent"].is_null() && str_of(&c["anchor"], "shot") == shot.id)
        {
            let frame = int_of(&c["anchor"], "frame").unwrap_or(a);
            let color = if str_of(c, "status") == "resolved" {
                "GREEN"
            } else {
                "RED"
            };
            let text = format!("{}: {}", str_of(c, "author"), str_of(c, "body"));
            out.push_str(&format!(
                "* LOC: {} {:<7} {}\r\n",
                tc(frame),
                color,
                one_line(&text, 200)
            ));
        }
        out.push_str("\r\n");
    }
    out
}

/// Text for one EDL line: line breaks and control characters as spaces, at most `max`
/// characters.
fn one_line(text: &str, max: usize) -> String {
    let t: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(max)
        .collect();
    t.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\"\nthen"), "\"say \"\"hi\"\"\nthen\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("-1"), "'-1");
    }
}

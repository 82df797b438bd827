//! A text material's words and look.

use super::draft::num;
use serde_json::Value;

/// `[r, g, b]` in 0..1 → `#rrggbb`.
pub(super) fn colour(v: &Value) -> Option<String> {
    let a = v.as_array()?;
    if a.len() < 3 {
        return None;
    }
    let c = |i: usize| num(&a[i]).map(|x| (x.clamp(0.0, 1.0) * 255.0).round() as u8);
    Some(format!("#{:02x}{:02x}{:02x}", c(0)?, c(1)?, c(2)?))
}

/// `#RRGGBB` as older drafts write it.
pub(super) fn hex_colour(v: &Value) -> Option<String> {
    let s = v.as_str()?.trim();
    let h = s.strip_prefix('#')?;
    (h.len() == 6 && h.chars().all(|c| c.is_ascii_hexdigit())).then(|| s.to_ascii_lowercase())
}

/// A text material's words and look: the JSON `content` of newer drafts, else the
/// material's own fields.
pub(super) struct Text {
    pub(super) text: String,
    pub(super) size: Option<f64>,
    pub(super) colour: Option<String>,
    pub(super) stroke: Option<String>,
    pub(super) stroke_width: Option<f64>,
}

pub(super) fn text_of(m: &Value) -> Text {
    let content = m["content"].as_str().unwrap_or("");
    let parsed: Option<Value> = serde_json::from_str(content).ok();
    let rich = parsed.as_ref().filter(|p| p["text"].is_string());
    let mut t = Text {
        text: String::new(),
        size: num(&m["font_size"]).or_else(|| num(&m["text_size"])),
        colour: hex_colour(&m["text_color"]),
        stroke: hex_colour(&m["border_color"]),
        stroke_width: num(&m["border_width"]),
    };
    match rich {
        Some(p) => {
            t.text = p["text"].as_str().unwrap_or("").to_string();
            let s = &p["styles"][0];
            if let Some(size) = num(&s["size"]) {
                t.size = Some(size);
            }
            if let Some(c) = colour(&s["fill"]["content"]["solid"]["color"]) {
                t.colour = Some(c);
            }
            let stroke = &s["strokes"][0];
            if let Some(c) = colour(&stroke["content"]["solid"]["color"]) {
                t.stroke = Some(c);
                t.stroke_width = num(&stroke["width"]).or(t.stroke_width);
            }
        }
        None => {
            // Older drafts: `<size=15><color=(1,1,1,1)>[words]</color></size>`, or plain.
            let mut words = String::new();
            let mut depth = 0;
            for c in content.chars() {
                match c {
                    '<' => depth += 1,
                    '>' if depth > 0 => depth -= 1,
                    _ if depth == 0 => words.push(c),
                    _ => {}
                }
            }
            let words = words.trim();
            let words = words
                .strip_prefix('[')
                .and_then(|w| w.strip_suffix(']'))
                .unwrap_or(words);
            t.text = words.to_string();
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn older_texts_lose_their_markup() {
        let m = json!({ "content": "<size=15><color=(1,1,1,1)>[你好]</color></size>", "text_color": "#FFCC00" });
        let t = text_of(&m);
        assert_eq!(t.text, "你好");
        assert_eq!(t.colour.as_deref(), Some("#ffcc00"));
    }

    #[test]
    fn colours() {
        assert_eq!(colour(&json!([1.0, 0.5, 0.0])).as_deref(), Some("#ff8000"));
        assert_eq!(colour(&json!([1.0, "x", 0.0])), None);
        assert_eq!(colour(&json!([9e99, -3, 0])).as_deref(), Some("#ff0000"));
    }
}

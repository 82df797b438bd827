//! Where a line of text may break, and greedy wrapping to a width.
//!
//! Latin text breaks after spaces and after hyphens inside words; CJK text between any two
//! characters, except before closing punctuation (，。！？」』）… and their ASCII forms,
//! small kana, the prolonged sound mark) and after opening punctuation (「『（《“‘ …),
//! so that no line starts with a comma or ends with an opening quote. A line feed in the
//! text always breaks.

use std::ops::Range;

/// May a line break before a character?
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Break {
    No,
    Allowed,
    /// After a line feed.
    Mandatory,
}

/// Punctuation and marks that must not start a line.
fn is_closing(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '！'
            | '？'
            | '、'
            | '；'
            | '：'
            | '」'
            | '』'
            | '）'
            | '》'
            | '〉'
            | '】'
            | '〕'
            | '〗'
            | '〙'
            | '〛'
            | '｝'
            | '］'
            | '〞'
            | '〟'
            | '…'
            | '‥'
            | '’'
            | '”'
            | '．'
            | '％'
            | '｠'
            | '｡'
            | '｣'
            | '､'
            | '･'
            | 'ｰ'
            | '・'
            | '·'
            | 'ー'
            | '々'
            | '〻'
            | 'ゝ'
            | 'ゞ'
            | 'ヽ'
            | 'ヾ'
            | '゛'
            | '゜'
            | ','
            | '.'
            | '!'
            | '?'
            | ';'
            | ':'
            | ')'
            | ']'
            | '}'
            | '%'
            | '‰'
            | '℃'
            | '°'
    ) || is_small_kana(c)
}

fn is_small_kana(c: char) -> bool {
    matches!(
        c,
        'ぁ' | 'ぃ'
            | 'ぅ'
            | 'ぇ'
            | 'ぉ'
            | 'っ'
            | 'ゃ'
            | 'ゅ'
            | 'ょ'
            | 'ゎ'
            | 'ゕ'
            | 'ゖ'
            | 'ァ'
            | 'ィ'
            | 'ゥ'
            | 'ェ'
            | 'ォ'
            | 'ッ'
            | 'ャ'
            | 'ュ'
            | 'ョ'
            | 'ヮ'
            | 'ヵ'
            | 'ヶ'
            | 'ㇰ'..='ㇿ'
    )
}

/// Punctuation that must not end a line.
fn is_opening(c: char) -> bool {
    matches!(
        c,
        '「' | '『'
            | '（'
            | '《'
            | '〈'
            | '【'
            | '〔'
            | '〖'
            | '〘'
            | '〚'
            | '｛'
            | '［'
            | '〝'
            | '｟'
            | '｢'
            | '“'
            | '‘'
            | '('
            | '['
            | '{'
    )
}

/// Characters between which CJK text may break: ideographs, kana, Hangul, CJK and
/// full-width punctuation (the ranges reading time counts as CJK), and emoji.
pub fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x11FF
        | 0x2E80..=0x2FDF
        | 0x3000..=0x9FFF
        | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFFEF
        | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFF)
}

/// Spaces that a line may break after (and that hang, unseen, at the end of a line).
pub fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{3000}' | '\u{2002}'..='\u{200B}')
}

/// Marks that belong to the character before them.
fn is_attached(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{200C}'
        | '\u{200D}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{3099}'
        | '\u{309A}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{1F3FB}'..='\u{1F3FF}')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2013}')
}

/// The break opportunity before each character (`out[0]` is always `No`). With
/// `anywhere`, a line may also break inside words: the last resort for a word wider
/// than the space it has.
pub fn opportunities(chars: &[char], anywhere: bool) -> Vec<Break> {
    let mut out = vec![Break::No; chars.len()];
    for i in 1..chars.len() {
        let (a, b) = (chars[i - 1], chars[i]);
        out[i] = if a == '\n' {
            Break::Mandatory
        } else if b == '\n'
            || is_attached(b)
            || a == '\u{200D}'
            || is_space(b)
            || matches!(a, '\u{00A0}' | '\u{202F}' | '\u{2060}')
            || matches!(b, '\u{00A0}' | '\u{202F}' | '\u{2060}')
            || is_closing(b)
            || is_opening(a)
            || (a == '—' && b == '—')
        {
            Break::No
        } else if anywhere
            || is_space(a)
            || is_cjk(a)
            || is_cjk(b)
            || matches!(a, '—' | '…')
            || b == '—'
            || (is_hyphen(a) && i >= 2 && chars[i - 2].is_alphanumeric() && b.is_alphanumeric())
        {
            Break::Allowed
        } else {
            Break::No
        };
    }
    out
}

/// Lines of text wrapped to a width.
#[derive(Clone, Debug, PartialEq)]
pub struct Wrapped {
    /// Each line's characters, trailing spaces and its line feed included.
    pub lines: Vec<Range<usize>>,
    /// A line is wider than the width (a word could not be broken).
    pub overflow: bool,
}

/// The width of `range` without its trailing spaces and line feed.
pub fn visible_width(chars: &[char], advances: &[f64], range: Range<usize>) -> f64 {
    let end = chars[range.clone()]
        .iter()
        .rposition(|&c| !is_space(c) && c != '\n')
        .map_or(range.start, |p| range.start + p + 1);
    advances[range.start..end].iter().sum()
}

/// Greedy wrapping: each line takes as much as fits in `width`, breaking at the last
/// opportunity before the overflowing character.
pub fn wrap(chars: &[char], advances: &[f64], breaks: &[Break], width: f64) -> Wrapped {
    let n = chars.len();
    let mut lines = Vec::new();
    let mut overflow = false;
    let mut start = 0;
    while start < n {
        let mut pen = 0.0;
        let mut last_break = None;
        let mut end = n;
        for j in start..n {
            if j > start {
                match breaks[j] {
                    Break::Mandatory => {
                        end = j;
                        break;
                    }
                    Break::Allowed => last_break = Some(j),
                    Break::No => {}
                }
            }
            pen += advances[j];
            // Spaces hang past the edge; a line feed takes no room.
            if is_space(chars[j]) || chars[j] == '\n' || pen <= width + 1e-9 {
                continue;
            }
            if let Some(b) = last_break {
                end = b;
                break;
            }
            overflow = true;
        }
        lines.push(start..end);
        start = end;
    }
    Wrapped { lines, overflow }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Wraps `text` with every character one unit wide, and returns the lines as text.
    fn wrap_units(text: &str, width: f64) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let advances = vec![1.0; chars.len()];
        let breaks = opportunities(&chars, false);
        wrap(&chars, &advances, &breaks, width)
            .lines
            .into_iter()
            .map(|r| chars[r].iter().collect::<String>())
            .collect()
    }

    #[test]
    fn latin_breaks_at_spaces_which_hang() {
        assert_eq!(
            wrap_units("the quick brown fox", 10.0),
            ["the quick ", "brown fox"]
        );
        // "quick " is 6 wide with its space, but the space may hang past the edge.
        assert_eq!(wrap_units("the quick brown", 9.0), ["the quick ", "brown"]);
    }

    #[test]
    fn latin_breaks_after_hyphens_inside_words() {
        assert_eq!(wrap_units("well-known", 6.0), ["well-", "known"]);
        // Not after a hyphen that starts a word or stands alone.
        assert_eq!(wrap_units("a -5 b", 3.0), ["a ", "-5 ", "b"]);
    }

    #[test]
    fn a_word_too_long_overflows_unless_breaking_anywhere() {
        let chars: Vec<char> = "abcdefgh ij".chars().collect();
        let advances = vec![1.0; chars.len()];
        let w = wrap(&chars, &advances, &opportunities(&chars, false), 4.0);
        assert!(w.overflow);
        assert_eq!(w.lines, [0..9, 9..11]);
        let w = wrap(&chars, &advances, &opportunities(&chars, true), 4.0);
        assert!(!w.overflow);
        assert_eq!(w.lines, [0..4, 4..9, 9..11]);
    }

    #[test]
    fn cjk_breaks_between_any_two_characters() {
        assert_eq!(
            wrap_units("这一世我绝不会", 3.0),
            ["这一世", "我绝不", "会"]
        );
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        // The comma would start line 2: "世" goes with it.
        assert_eq!(
            wrap_units("这一世，我绝不会", 3.0),
            ["这一", "世，我", "绝不会"]
        );
        assert_eq!(wrap_units("你好。」他说", 2.0), ["你", "好。」", "他说"]);
        assert_eq!(wrap_units("等等……走", 3.0), ["等", "等……", "走"]);
        // Small kana stay with the kana before them, even past the edge.
        assert_eq!(wrap_units("ちょっと", 2.0), ["ちょっ", "と"]);
        assert_eq!(wrap_units("ラーメン", 1.0), ["ラー", "メ", "ン"]);
    }

    #[test]
    fn opening_punctuation_never_ends_a_line() {
        assert_eq!(wrap_units("他说「走吧」", 3.0), ["他说", "「走", "吧」"]);
        assert_eq!(wrap_units("我《三体》", 2.0), ["我", "《三", "体》"]);
    }

    #[test]
    fn ascii_punctuation_follows_the_same_rules() {
        assert_eq!(wrap_units("你好!再见", 2.0), ["你", "好!", "再见"]);
        assert_eq!(wrap_units("看(这里)", 2.0), ["看", "(这", "里)"]);
    }

    #[test]
    fn mixed_text_breaks_around_latin_words_not_inside_them() {
        assert_eq!(
            wrap_units("我用iPhone拍照", 6.0),
            ["我用", "iPhone", "拍照"]
        );
        assert_eq!(wrap_units("2024年春天", 5.0), ["2024年", "春天"]);
    }

    #[test]
    fn line_feeds_always_break_and_take_no_room() {
        assert_eq!(wrap_units("ab\ncd", 10.0), ["ab\n", "cd"]);
        let chars: Vec<char> = "ab \n".chars().collect();
        assert_eq!(visible_width(&chars, &[1.0; 4], 0..4), 2.0);
    }

    #[test]
    fn em_dashes_stay_together() {
        assert_eq!(wrap_units("他——走了", 2.0), ["他", "——", "走了"]);
    }
}

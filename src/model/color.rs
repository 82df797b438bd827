//! Colours as written in manifests: `#rgb`, `#rrggbb`, `#rrggbbaa` (sRGB, straight alpha).

/// An sRGB colour with straight (not premultiplied) alpha.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgba8 {
    pub r: u8,
    pub g: u8,
    pub b: u8,
    pub a: u8,
}

impl Rgba8 {
    pub const BLACK: Rgba8 = Rgba8 {
        r: 0,
        g: 0,
        b: 0,
        a: 255,
    };
    pub const WHITE: Rgba8 = Rgba8 {
        r: 255,
        g: 255,
        b: 255,
        a: 255,
    };

    pub fn parse(s: &str) -> Result<Rgba8, String> {
        let bad = || format!("`{s}` is not a colour (expected #rgb, #rrggbb or #rrggbbaa)");
        let hex = s.strip_prefix('#').ok_or_else(bad)?;
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let digit = |i: usize| u8::from_str_radix(&hex[i..i + 1], 16).unwrap_or(0);
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
        Ok(match hex.len() {
            3 => Rgba8 {
                r: digit(0) * 17,
                g: digit(1) * 17,
                b: digit(2) * 17,
                a: 255,
            },
            6 => Rgba8 {
                r: byte(0),
                g: byte(2),
                b: byte(4),
                a: 255,
            },
            8 => Rgba8 {
                r: byte(0),
                g: byte(2),
                b: byte(4),
                a: byte(6),
            },
            _ => return Err(bad()),
        })
    }

    /// The colour as `#rrggbb` or `#rrggbbaa`.
    pub fn to_hex(self) -> String {
        if self.a == 255 {
            format!("#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
        } else {
            format!("#{:02x}{:02x}{:02x}{:02x}", self.r, self.g, self.b, self.a)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_forms() {
        assert_eq!(
            Rgba8::parse("#f80").unwrap(),
            Rgba8 {
                r: 255,
                g: 136,
                b: 0,
                a: 255
            }
        );
        assert_eq!(
            Rgba8::parse("#FFD0E0").unwrap(),
            Rgba8 {
                r: 255,
                g: 208,
                b: 224,
                a: 255
            }
        );
        assert_eq!(
            Rgba8::parse("#00000080").unwrap(),
            Rgba8 {
                r: 0,
                g: 0,
                b: 0,
                a: 128
            }
        );
        for bad in ["red", "#12", "#12345", "#ggg", "000000", "#１２３"] {
            assert!(Rgba8::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Rgba8::parse("#102030").unwrap().to_hex(), "#102030");
    }
}

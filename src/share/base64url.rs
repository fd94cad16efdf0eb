//! Base64url (RFC 4648 §5) without padding, for putting the scenario in a link.
//!
//! Written out here rather than pulled in as a crate: it is forty lines and
//! the app has no other use for one.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Encodes bytes as base64url, without `=` padding.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let b = [
            group[0],
            *group.get(1).unwrap_or(&0),
            *group.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = group.len() + 1;
        for i in 0..chars {
            let index = (n >> (18 - 6 * i)) & 0x3f;
            out.push(ALPHABET[index as usize] as char);
        }
    }
    out
}

/// Why a text is not base64url.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// A character outside the alphabet, at this byte offset.
    BadChar { at: usize },
    /// A length that no encoding produces (one character left over).
    BadLength,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::BadChar { at } => write!(f, "unexpected character at position {}", at + 1),
            DecodeError::BadLength => f.write_str("the text is cut short"),
        }
    }
}

fn value(c: u8) -> Option<u32> {
    let v = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

/// Decodes base64url. Trailing `=` padding is accepted and ignored; so are
/// the `+` and `/` of standard base64, which some tools put in links.
pub fn decode(text: &str) -> Result<Vec<u8>, DecodeError> {
    let text = text.trim_end_matches('=').as_bytes();
    if text.len() % 4 == 1 {
        return Err(DecodeError::BadLength);
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    for (g, group) in text.chunks(4).enumerate() {
        let mut n = 0u32;
        for (i, &c) in group.iter().enumerate() {
            let v = match c {
                b'+' => Some(62),
                b'/' => Some(63),
                _ => value(c),
            }
            .ok_or(DecodeError::BadChar { at: g * 4 + i })?;
            n |= v << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..group.len() - 1]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(encode(plain.as_bytes()), encoded);
            assert_eq!(decode(encoded).unwrap(), plain.as_bytes());
        }
    }

    #[test]
    fn uses_the_url_safe_alphabet() {
        assert_eq!(encode(&[0xfb, 0xff, 0xbf]), "-_-_");
        assert_eq!(decode("-_-_").unwrap(), vec![0xfb, 0xff, 0xbf]);
        assert_eq!(decode("+/+/").unwrap(), vec![0xfb, 0xff, 0xbf]);
    }

    #[test]
    fn round_trips_every_byte_and_length() {
        let bytes: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
        for len in 0..bytes.len() {
            let encoded = encode(&bytes[..len]);
            assert!(encoded.bytes().all(|c| value(c).is_some()));
            assert_eq!(decode(&encoded).unwrap(), &bytes[..len]);
        }
    }

    #[test]
    fn accepts_padding() {
        assert_eq!(decode("Zm8=").unwrap(), b"fo");
        assert_eq!(decode("Zg==").unwrap(), b"f");
    }

    #[test]
    fn rejects_bad_text() {
        assert_eq!(decode("Zm9v!A"), Err(DecodeError::BadChar { at: 4 }));
        assert_eq!(decode("Zm9vY"), Err(DecodeError::BadLength));
        assert_eq!(decode("Zm 9"), Err(DecodeError::BadChar { at: 2 }));
    }
}

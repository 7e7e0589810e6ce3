//! Japan's 47 prefectures (JIS X 0401) and municipality codes (JIS X 0402).

/// A prefecture by its JIS X 0401 code, 1 (Hokkaido) to 47 (Okinawa).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Prefecture(u8);

/// Code, Japanese name, English name.
const PREFECTURES: [(&str, &str, &str); 47] = [
    ("01", "北海道", "Hokkaido"),
    ("02", "青森県", "Aomori"),
    ("03", "岩手県", "Iwate"),
    ("04", "宮城県", "Miyagi"),
    ("05", "秋田県", "Akita"),
    ("06", "山形県", "Yamagata"),
    ("07", "福島県", "Fukushima"),
    ("08", "茨城県", "Ibaraki"),
    ("09", "栃木県", "Tochigi"),
    ("10", "群馬県", "Gunma"),
    ("11", "埼玉県", "Saitama"),
    ("12", "千葉県", "Chiba"),
    ("13", "東京都", "Tokyo"),
    ("14", "神奈川県", "Kanagawa"),
    ("15", "新潟県", "Niigata"),
    ("16", "富山県", "Toyama"),
    ("17", "石川県", "Ishikawa"),
    ("18", "福井県", "Fukui"),
    ("19", "山梨県", "Yamanashi"),
    ("20", "長野県", "Nagano"),
    ("21", "岐阜県", "Gifu"),
    ("22", "静岡県", "Shizuoka"),
    ("23", "愛知県", "Aichi"),
    ("24", "三重県", "Mie"),
    ("25", "滋賀県", "Shiga"),
    ("26", "京都府", "Kyoto"),
    ("27", "大阪府", "Osaka"),
    ("28", "兵庫県", "Hyogo"),
    ("29", "奈良県", "Nara"),
    ("30", "和歌山県", "Wakayama"),
    ("31", "鳥取県", "Tottori"),
    ("32", "島根県", "Shimane"),
    ("33", "岡山県", "Okayama"),
    ("34", "広島県", "Hiroshima"),
    ("35", "山口県", "Yamaguchi"),
    ("36", "徳島県", "Tokushima"),
    ("37", "香川県", "Kagawa"),
    ("38", "愛媛県", "Ehime"),
    ("39", "高知県", "Kochi"),
    ("40", "福岡県", "Fukuoka"),
    ("41", "佐賀県", "Saga"),
    ("42", "長崎県", "Nagasaki"),
    ("43", "熊本県", "Kumamoto"),
    ("44", "大分県", "Oita"),
    ("45", "宮崎県", "Miyazaki"),
    ("46", "鹿児島県", "Kagoshima"),
    ("47", "沖縄県", "Okinawa"),
];

impl Prefecture {
    /// Parses a JIS code: `"15"`, or `"1"` for `"01"`.
    pub fn parse(code: &str) -> Option<Prefecture> {
        let number: u8 = code.trim().parse().ok()?;
        (1..=47).contains(&number).then_some(Prefecture(number))
    }

    /// Every prefecture in code order.
    pub fn all() -> impl Iterator<Item = Prefecture> {
        (1..=47).map(Prefecture)
    }

    /// The two-digit JIS code, e.g. `"15"`.
    pub fn code(self) -> &'static str {
        PREFECTURES[usize::from(self.0) - 1].0
    }

    /// The Japanese name, e.g. 新潟県.
    pub fn name_ja(self) -> &'static str {
        PREFECTURES[usize::from(self.0) - 1].1
    }

    /// The English name, e.g. Niigata.
    pub fn name_en(self) -> &'static str {
        PREFECTURES[usize::from(self.0) - 1].2
    }

    /// The name in a language.
    pub fn name(self, locale: crate::Locale) -> &'static str {
        match locale {
            crate::Locale::Ja => self.name_ja(),
            crate::Locale::En => self.name_en(),
        }
    }
}

/// A municipality code (JIS X 0402): five digits, the first two being the
/// prefecture's, optionally followed by the check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MunicipalityCode(String);

/// Why a municipality code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MunicipalityCodeError {
    /// Not five (or six) digits, or a wrong check digit.
    #[error("municipality code must be 5 digits (or 6 with the check digit)")]
    Malformed,
    /// The first two digits are not the prefecture given.
    #[error("municipality code is not in the prefecture")]
    OtherPrefecture,
}

impl MunicipalityCode {
    /// Parses a code and checks it lies in `prefecture`. A sixth digit must
    /// be the JIS check digit; it is dropped.
    pub fn parse(
        code: &str,
        prefecture: Prefecture,
    ) -> Result<MunicipalityCode, MunicipalityCodeError> {
        let code = code.trim();
        if !(code.len() == 5 || code.len() == 6) || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(MunicipalityCodeError::Malformed);
        }
        let digits: Vec<u32> = code.bytes().map(|b| u32::from(b - b'0')).collect();
        if digits.len() == 6 {
            let sum: u32 = digits[..5]
                .iter()
                .zip([6, 5, 4, 3, 2])
                .map(|(d, w)| d * w)
                .sum();
            let check = (11 - sum % 11) % 10;
            if digits[5] != check {
                return Err(MunicipalityCodeError::Malformed);
            }
        }
        if &code[..2] != prefecture.code() {
            return Err(MunicipalityCodeError::OtherPrefecture);
        }
        Ok(MunicipalityCode(code[..5].to_owned()))
    }

    /// The five-digit code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_47_prefectures_in_order() {
        let all: Vec<Prefecture> = Prefecture::all().collect();
        assert_eq!(all.len(), 47);
        for (index, prefecture) in all.iter().enumerate() {
            assert_eq!(prefecture.code(), format!("{:02}", index + 1));
        }
        let niigata = Prefecture::parse("15").unwrap();
        assert_eq!(
            (niigata.name_ja(), niigata.name_en()),
            ("新潟県", "Niigata")
        );
        assert_eq!(Prefecture::parse("1").unwrap().name_ja(), "北海道");
        assert_eq!(Prefecture::parse("48"), None);
        assert_eq!(Prefecture::parse("0"), None);
        assert_eq!(Prefecture::parse("tokyo"), None);
    }

    #[test]
    fn municipality_codes() {
        let niigata = Prefecture::parse("15").unwrap();
        // 新潟市 is 151009 with its check digit.
        assert_eq!(
            MunicipalityCode::parse("151009", niigata).unwrap().as_str(),
            "15100"
        );
        assert_eq!(
            MunicipalityCode::parse("15100", niigata).unwrap().as_str(),
            "15100"
        );
        assert_eq!(
            MunicipalityCode::parse("151008", niigata),
            Err(MunicipalityCodeError::Malformed)
        );
        assert_eq!(
            MunicipalityCode::parse("131016", niigata),
            Err(MunicipalityCodeError::OtherPrefecture)
        );
        assert_eq!(
            MunicipalityCode::parse("1510", niigata),
            Err(MunicipalityCodeError::Malformed)
        );
    }
}

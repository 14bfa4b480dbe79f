//! Record headers between PHP and librdkafka: `produce()`'s `$headers`
//! (name → string value, in order) and a message's `headers` property.

use crate::runtime::args::{entries, Bytes};
use crate::runtime::errors::{type_error, type_name, value_error, Func};
use ext_php_rs::convert::{FromZval, IntoZval};
use ext_php_rs::exception::PhpResult;
use ext_php_rs::flags::DataType;
use ext_php_rs::types::{ZendHashTable, Zval};
use std::ffi::CString;

/// `produce()`'s `$headers` (argument #3 of `func`) as librdkafka gets them:
/// names without NUL bytes and valid UTF-8; values strings (ints, floats
/// and bools in their string form).
pub fn produce_headers(func: Func, headers: &ZendHashTable) -> PhpResult<Vec<(CString, Vec<u8>)>> {
    let arg = func.arg(3, "headers");
    let mut out = Vec::with_capacity(headers.len());
    for (k, v) in entries(headers) {
        let name = k.map_err(|lossy| value_error(format!("{arg}: header name \"{lossy}\" is not valid UTF-8")))?;
        let v = v.dereference();
        let value = if let Some(s) = v.zend_str() {
            s.as_bytes().to_vec()
        } else if v.is_long() || v.is_double() || v.is_bool() {
            v.coerce_to_string().unwrap_or_default().into_bytes()
        } else {
            return Err(type_error(format!("{arg}: header \"{name}\" must be a string, {} given", type_name(v))));
        };
        let name = CString::new(name).map_err(|e| {
            let lossy = String::from_utf8_lossy(&e.into_vec()).replace('\0', "\\0");
            value_error(format!("{arg}: header name \"{lossy}\" contains a NUL byte"))
        })?;
        out.push((name, value));
    }
    Ok(out)
}

/// Record headers, in order; a PHP array name → value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeaderMap(pub Vec<(String, Vec<u8>)>);

impl IntoZval for HeaderMap {
    const TYPE: DataType = DataType::Array;
    const NULLABLE: bool = false;

    fn set_zval(self, zv: &mut Zval, _persistent: bool) -> ext_php_rs::error::Result<()> {
        let mut ht = ZendHashTable::with_capacity(self.0.len() as u32);
        for (k, v) in self.0 {
            ht.insert(k.as_str(), Bytes(v))?;
        }
        zv.set_hashtable(ht);
        Ok(())
    }
}

impl<'a> FromZval<'a> for HeaderMap {
    const TYPE: DataType = DataType::Array;

    fn from_zval(zval: &'a Zval) -> Option<Self> {
        let ht = zval.array()?;
        let mut out = Vec::with_capacity(ht.len());
        for (k, v) in entries(ht) {
            out.push((k.ok()?, v.zend_str()?.as_bytes().to_vec()));
        }
        Some(HeaderMap(out))
    }
}

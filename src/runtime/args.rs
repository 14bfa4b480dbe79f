//! Argument types with PHP's own parsing and errors: the argument parser
//! never refuses them; `get(func, n, name)` applies PHP's coercive typing
//! (unless the caller declared strict_types) and throws PHP's own TypeError
//! naming the function and the argument. PHP thread only.

use crate::runtime::engine;
use crate::runtime::errors::{arg_type_error, type_name, FuncName};
use ext_php_rs::convert::{FromZval, IntoZval, StubLiteral};
use ext_php_rs::exception::PhpResult;
use ext_php_rs::flags::DataType;
use ext_php_rs::types::{ZendHashTable, ZendStr, Zval};
use std::borrow::Cow;

/// An `int` parameter (numeric strings, integral floats and bools are
/// accepted unless the caller declared strict_types).
pub struct IntArg(pub Result<i64, String>);

fn coerce_int(z: &Zval) -> Option<i64> {
    if let Some(l) = z.long() {
        return Some(l);
    }
    if engine::caller_is_strict() {
        return None;
    }
    let integral = |d: f64| (d.is_finite() && d.fract() == 0.0 && d.abs() < 9.2e18).then_some(d as i64);
    if let Some(d) = z.double() {
        return integral(d);
    }
    if let Some(b) = z.bool() {
        return Some(b as i64);
    }
    let s = z.str()?.trim();
    s.parse::<i64>().ok().or_else(|| s.parse::<f64>().ok().and_then(integral))
}

impl IntArg {
    pub fn get(self, func: impl FuncName, n: u32, name: &str) -> PhpResult<i64> {
        self.0.map_err(|given| arg_type_error(&func, n, name, format!("must be of type int, {given} given")))
    }
}

impl<'a> FromZval<'a> for IntArg {
    const TYPE: DataType = DataType::Long;

    fn from_zval(zval: &'a Zval) -> Option<Self> {
        let z = zval.dereference();
        if z.is_null() {
            return None;
        }
        Some(IntArg(coerce_int(z).ok_or_else(|| type_name(z))))
    }
}

impl From<i32> for IntArg {
    fn from(v: i32) -> Self {
        IntArg(Ok(v as i64))
    }
}

impl StubLiteral for IntArg {
    fn stub_literal(&self) -> String {
        match &self.0 {
            Ok(v) => v.to_string(),
            Err(_) => "0".into(),
        }
    }
}

/// A binary-safe `string` parameter (ints, floats and bools become their
/// string form unless the caller declared strict_types). A PHP string is
/// borrowed, not copied; `.1` is the string zval it came from (none when the
/// value was coerced).
pub struct StrArg<'a>(pub Result<Cow<'a, [u8]>, String>, pub Option<&'a Zval>);

impl<'a> StrArg<'a> {
    pub fn get(self, func: impl FuncName, n: u32, name: &str) -> PhpResult<Cow<'a, [u8]>> {
        self.0.map_err(|given| arg_type_error(&func, n, name, format!("must be of type string, {given} given")))
    }
}

impl<'a> FromZval<'a> for StrArg<'a> {
    const TYPE: DataType = DataType::String;

    fn from_zval(zval: &'a Zval) -> Option<Self> {
        let z = zval.dereference();
        if z.is_null() {
            return None;
        }
        if let Some(s) = z.zend_str() {
            return Some(StrArg(Ok(Cow::Borrowed(s.as_bytes())), Some(z)));
        }
        if !engine::caller_is_strict() && (z.is_long() || z.is_double() || z.is_bool()) {
            if let Some(s) = z.coerce_to_string() {
                return Some(StrArg(Ok(Cow::Owned(s.into_bytes())), None));
            }
        }
        Some(StrArg(Err(type_name(z)), None))
    }
}

/// A `callable` parameter that keeps the zval (ext-php-rs' `ZendCallable`
/// does not give it back).
pub struct CallableArg<'a>(pub &'a Zval);

impl<'a> CallableArg<'a> {
    pub fn get(self, func: impl FuncName, n: u32, name: &str) -> PhpResult<&'a Zval> {
        if self.0.is_callable() {
            Ok(self.0)
        } else {
            Err(arg_type_error(&func, n, name, format!("must be a valid callback, {} given", type_name(self.0))))
        }
    }
}

impl<'a> FromZval<'a> for CallableArg<'a> {
    const TYPE: DataType = DataType::Callable;

    fn from_zval(zval: &'a Zval) -> Option<Self> {
        Some(CallableArg(zval))
    }
}

/// An `array` parameter; `get()` names `expected` (`array`, `?array`) in the
/// TypeError for anything else.
pub struct ArrayArg<'a>(pub &'a Zval);

impl<'a> ArrayArg<'a> {
    pub fn get(self, func: impl FuncName, n: u32, name: &str, expected: &str) -> PhpResult<&'a ZendHashTable> {
        self.0.dereference().array().ok_or_else(|| {
            arg_type_error(&func, n, name, format!("must be of type {expected}, {} given", type_name(self.0)))
        })
    }
}

impl<'a> FromZval<'a> for ArrayArg<'a> {
    const TYPE: DataType = DataType::Array;

    fn from_zval(zval: &'a Zval) -> Option<Self> {
        if zval.dereference().is_null() {
            return None;
        }
        Some(ArrayArg(zval))
    }
}

/// The (key, value) pairs of a PHP array. ext-php-rs' own iterator panics on
/// a string key that is not UTF-8; here such a key comes back as
/// `Err(lossy rendering)` for the caller to refuse by name. Integer keys are
/// rendered as decimal strings.
pub fn entries(ht: &ZendHashTable) -> impl Iterator<Item = (Result<String, String>, &Zval)> {
    let mut it = ht.iter();
    std::iter::from_fn(move || {
        let (k, v) = it.next_zval()?;
        let key = if let Some(l) = k.long() {
            Ok(l.to_string())
        } else if let Some(s) = k.zend_str() {
            std::str::from_utf8(s.as_bytes())
                .map(str::to_owned)
                .map_err(|_| String::from_utf8_lossy(s.as_bytes()).into_owned())
        } else {
            Ok(String::new())
        };
        Some((key, v))
    })
}

/// A binary-safe PHP string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bytes(pub Vec<u8>);

impl IntoZval for Bytes {
    const TYPE: DataType = DataType::String;
    const NULLABLE: bool = false;

    fn set_zval(self, zv: &mut Zval, _persistent: bool) -> ext_php_rs::error::Result<()> {
        zv.set_zend_string(ZendStr::new(&self.0, false));
        Ok(())
    }
}

impl<'a> FromZval<'a> for Bytes {
    const TYPE: DataType = DataType::String;

    fn from_zval(zval: &'a Zval) -> Option<Self> {
        zval.zend_str().map(|s| Bytes(s.as_bytes().to_vec()))
    }
}

//! Small, careful helpers around the Zend engine used by the scheduler:
//! calling into PHP with exceptions, exits and fatal errors captured,
//! recognising generators, building exceptions from failures, warnings.
//! Everything here runs on the PHP thread only.

use crate::runtime::completion::{Failure, FailureKind};
use ext_php_rs::boxed::ZBox;
use ext_php_rs::exception::{throw_with_code, PhpException, PhpResult};
use ext_php_rs::ffi;
use ext_php_rs::types::{ZendCallable, ZendObject, Zval};
use ext_php_rs::zend::{ce, try_catch, ClassEntry, ExecutorGlobals};
use std::ffi::CString;
use std::os::raw::{c_char, c_int};
use std::panic::AssertUnwindSafe;

extern "C" {
    // Exported by the PHP binary (ZEND_API); not in ext-php-rs' allow-list.
    fn zend_update_property_long(
        scope: *mut ffi::zend_class_entry,
        object: *mut ffi::zend_object,
        name: *const c_char,
        name_length: usize,
        value: ffi::zend_long,
    );
    fn zend_error(type_: c_int, format: *const c_char, ...);
    fn zend_update_property_string(
        scope: *mut ffi::zend_class_entry,
        object: *mut ffi::zend_object,
        name: *const c_char,
        name_length: usize,
        value: *const c_char,
    );
}

const E_WARNING: c_int = 2;

/// Why a call into PHP did not return normally.
pub enum Raised {
    /// A `\Throwable` was thrown and is now owned by us (no longer pending).
    Exception(ZBox<ZendObject>),
    /// `exit()`/`die()` (or another engine-internal unwind): left pending so
    /// PHP keeps unwinding once control returns to it.
    Exit,
    /// A fatal error jumped out (zend_bailout): must be resumed with `bailout()`.
    Bailout,
}

/// The engine's executor globals, read on the PHP thread without
/// ext-php-rs' process-wide read lock (`ExecutorGlobals::get()` takes it on
/// every call: a measurable share of a million resumptions).
fn executor_globals() -> Option<&'static ext_php_rs::ffi::zend_executor_globals> {
    // SAFETY: the engine's globals are static (per thread under ZTS, where
    // this wrapper returns the calling thread's); only read here.
    unsafe { ext_php_rs::ffi::ext_php_rs_executor_globals().as_ref() }
}

/// Whether an exception (or an exit() unwind) is pending.
pub fn exception_pending() -> bool {
    executor_globals().is_some_and(|eg| !eg.exception.is_null())
}

/// Takes the pending exception, if any: after a call into PHP, or one left
/// pending outside of any call (see the scheduler).
pub fn take_pending() -> Option<Raised> {
    if !exception_pending() {
        return None;
    }
    let is_throwable = ExecutorGlobals::get().exception().map(|e| e.instance_of(ce::throwable())).unwrap_or(false);
    if !is_throwable {
        return Some(Raised::Exit);
    }
    ExecutorGlobals::take_exception().map(Raised::Exception)
}

/// Runs `f` (which calls into PHP), catching fatal errors and collecting
/// whatever was thrown.
pub fn guarded<F: FnOnce() -> Option<Zval>>(f: F) -> Result<Zval, Raised> {
    match try_catch(AssertUnwindSafe(f)) {
        Err(ext_php_rs::zend::CatchError::Bailout) => Err(Raised::Bailout),
        Err(_) => {
            let f = Failure::runtime("flame: internal error (a Rust panic) while calling PHP code");
            Err(Raised::Exception(exception_object(&f)))
        }
        Ok(ret) => match take_pending() {
            Some(r) => Err(r),
            None => Ok(ret.unwrap_or_else(Zval::null)),
        },
    }
}

/// `$obj->$name(...$args)` with exceptions captured.
pub fn call_method(obj: &Zval, name: &str, args: Vec<&dyn ext_php_rs::convert::IntoZvalDyn>) -> Result<Zval, Raised> {
    guarded(|| obj.try_call_method(name, args).ok())
}

/// `$callable(...$args)` with exceptions captured.
pub fn call(callable: &Zval, args: Vec<&dyn ext_php_rs::convert::IntoZvalDyn>) -> Result<Zval, Raised> {
    guarded(|| ZendCallable::new(callable).ok().and_then(|c| c.try_call(args).ok()))
}

static GENERATOR_CE: once_cell::sync::OnceCell<usize> = once_cell::sync::OnceCell::new();

fn generator_ce() -> usize {
    *GENERATOR_CE
        .get_or_init(|| ClassEntry::try_find("Generator").map(|c| c as *const ClassEntry as usize).unwrap_or(0))
}

/// Whether `v` is a `\Generator` object.
pub fn is_generator(v: &Zval) -> bool {
    match v.object() {
        Some(obj) => obj.get_class_entry() as *const ClassEntry as usize == generator_ce(),
        None => false,
    }
}

/// A zval owning `obj` (handing over the reference the box holds).
pub fn object_zval(obj: ZBox<ZendObject>) -> Zval {
    let mut zv = Zval::new();
    // Infallible for objects: the box's reference moves into the zval.
    let _ = ext_php_rs::convert::IntoZval::set_zval(obj, &mut zv, false);
    zv
}

/// The class a failure is thrown as.
fn class_of(kind: FailureKind) -> &'static ClassEntry {
    match kind {
        FailureKind::Kafka => crate::kafka::error::exception_ce(),
        FailureKind::Runtime => ClassEntry::try_find("RuntimeException").unwrap_or_else(ce::exception),
        FailureKind::Logic => ClassEntry::try_find("LogicException").unwrap_or_else(ce::exception),
        FailureKind::Error => ce::error(),
    }
}

/// Builds (without throwing) the exception object for `f`.
pub fn exception_object(f: &Failure) -> ZBox<ZendObject> {
    let message = f.message.replace('\0', "\\0");
    let _ = throw_with_code(class_of(f.kind), f.code, &message);
    match ExecutorGlobals::take_exception() {
        Some(obj) => obj,
        None => ZendObject::new(class_of(f.kind)),
    }
}

/// Sets an exception's `file` and `line` (protected properties of \Exception).
pub fn set_exception_location(obj: &mut ZendObject, file: &str, line: i64) {
    let Ok(cfile) = CString::new(file) else { return };
    let scope = if obj.instance_of(ce::exception()) { ce::exception() } else { ce::error() };
    let scope = scope as *const ClassEntry as *mut ffi::zend_class_entry;
    let ptr = obj as *mut ZendObject as *mut ffi::zend_object;
    // SAFETY: `obj` is a live exception object (a &mut borrow); `scope` is its own class's ancestor declaring
    // `file`/`line`; the names and `cfile` are NUL-terminated and outlive the calls, which copy them.
    unsafe {
        zend_update_property_string(scope, ptr, c"file".as_ptr(), 4, cfile.as_ptr());
        zend_update_property_long(scope, ptr, c"line".as_ptr(), 4, line);
    }
}

/// File and line of the `yield` where a suspended generator is paused.
///
/// A suspended generator's `execute_data->opline` points just past its
/// YIELD opcode; the YIELD itself carries the line of the `yield`.
pub fn generator_location(gen: &Zval) -> Option<(String, i64)> {
    if !is_generator(gen) {
        return None;
    }
    let obj = gen.object()? as *const ZendObject as *const u8;
    // SAFETY: a live generator object (checked by is_generator) is a `zend_generator` whose first field is
    // the `zend_object`; the `execute_data` pointer right after it is null or the generator's frame, valid
    // while the generator is suspended (it is: we are on the PHP thread, not inside it). `opline` points one
    // past the YIELD, so `offset(-1)` is inside the same op array; `func` is its live function.
    unsafe {
        // struct _zend_generator { zend_object std; zend_execute_data *execute_data; ... }
        let ex = *(obj.add(std::mem::size_of::<ffi::zend_object>()) as *const *const ffi::zend_execute_data);
        let ex = ex.as_ref()?;
        if ex.opline.is_null() || ex.func.is_null() {
            return None;
        }
        let op = ex.opline.offset(-1).as_ref()?;
        let func = &*ex.func;
        if func.type_ as u32 != 2 {
            // not user code (ZEND_USER_FUNCTION == 2)
            return None;
        }
        let filename = func.op_array.filename.as_ref()?;
        let file = String::from_utf8_lossy(filename.as_bytes()).into_owned();
        Some((file, op.lineno as i64))
    }
}

/// Whether the PHP code that called the current internal function uses its
/// return value (PHP's `USED_RET()`): false for a call that is a statement of
/// its own, like `$producer->produce($x);`. Calls from internal code
/// (callbacks, reflection) count as used.
pub fn return_value_used() -> bool {
    const ZEND_USER_FUNCTION: u8 = 2;
    const IS_UNUSED: u8 = 0;
    let Some((frame, func)) = caller() else { return true };
    // SAFETY: the caller's frame and its saved opline live while it waits for us.
    unsafe {
        if func.type_ != ZEND_USER_FUNCTION {
            return true;
        }
        frame.opline.as_ref().is_none_or(|op| op.result_type != IS_UNUSED)
    }
}

/// Whether the PHP code calling the current internal function uses strict_types.
pub fn caller_is_strict() -> bool {
    const ZEND_ACC_STRICT_TYPES: u32 = 1 << 31;
    // SAFETY: `func` is the live function of the caller's frame (see caller()).
    caller().is_some_and(|(_, func)| unsafe { func.common.fn_flags } & ZEND_ACC_STRICT_TYPES != 0)
}

/// The frame (and function) that called the internal function now running.
fn caller() -> Option<(&'static ext_php_rs::ffi::zend_execute_data, &'static ext_php_rs::ffi::zend_function)> {
    let eg = executor_globals()?;
    // SAFETY: frames on the engine's call stack outlive the internal call
    // that reads them; nothing here keeps them beyond it.
    unsafe {
        let frame = eg.current_execute_data.as_ref()?.prev_execute_data.as_ref()?;
        Some((frame, frame.func.as_ref()?))
    }
}

/// PHP's name for the type of a value, as in its own TypeError messages.
pub fn type_name(z: &Zval) -> String {
    let z = z.dereference();
    if z.is_null() {
        "null".into()
    } else if z.is_bool() {
        "bool".into()
    } else if z.is_long() {
        "int".into()
    } else if z.is_double() {
        "float".into()
    } else if z.is_string() {
        "string".into()
    } else if z.is_array() {
        "array".into()
    } else if let Some(o) = z.object() {
        o.get_class_name().unwrap_or_else(|_| "object".into())
    } else {
        "resource".into()
    }
}

/// `\TypeError` in PHP's own words for argument `n` (`$name`) of `func`.
pub fn arg_type_error(func: &str, n: u32, name: &str, expected: &str, given: &str) -> PhpException {
    let msg = if expected == "callable" {
        format!("{func}(): Argument #{n} (${name}) must be a valid callback, {given} given")
    } else {
        format!("{func}(): Argument #{n} (${name}) must be of type {expected}, {given} given")
    };
    PhpException::new(msg, 0, ce::type_error())
}

/// An `int` parameter with PHP's coercive typing (numeric strings, integral
/// floats and bools are accepted unless the caller declared strict_types).
/// Never refused by the argument parser: `get()` throws PHP's own TypeError.
pub struct IntArg(pub Result<i64, String>);

fn coerce_int(z: &Zval) -> Option<i64> {
    if let Some(l) = z.long() {
        return Some(l);
    }
    if caller_is_strict() {
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
    pub fn get(self, func: &str, n: u32, name: &str) -> PhpResult<i64> {
        self.0.map_err(|given| arg_type_error(func, n, name, "int", &given))
    }
}

impl<'a> ext_php_rs::convert::FromZval<'a> for IntArg {
    const TYPE: ext_php_rs::flags::DataType = ext_php_rs::flags::DataType::Long;

    fn from_zval(zval: &'a Zval) -> Option<Self> {
        let z = zval.dereference();
        if z.is_null() {
            return None;
        }
        Some(IntArg(coerce_int(z).ok_or_else(|| type_name(z))))
    }
}

/// A binary-safe `string` parameter with PHP's coercive typing (ints, floats
/// and bools become their string form unless the caller declared strict_types).
/// A PHP string is borrowed, not copied; `.1` is the string zval it came from
/// (none when the value was coerced).
pub struct StrArg<'a>(pub Result<std::borrow::Cow<'a, [u8]>, String>, pub Option<&'a Zval>);

impl<'a> StrArg<'a> {
    pub fn get(self, func: &str, n: u32, name: &str) -> PhpResult<std::borrow::Cow<'a, [u8]>> {
        self.0.map_err(|given| arg_type_error(func, n, name, "string", &given))
    }
}

/// A string argument kept beyond the call (PHP thread only).
pub enum Held {
    /// A reference to the caller's PHP string.
    Php(Zval),
    Owned(Vec<u8>),
}

impl Held {
    /// `bytes` as read from `source` (the string zval they borrow, if any):
    /// the PHP string itself (one more reference, no copy), or the bytes.
    pub fn new(bytes: std::borrow::Cow<'_, [u8]>, source: Option<&Zval>) -> Held {
        match (bytes, source) {
            (std::borrow::Cow::Borrowed(_), Some(z)) => Held::Php(z.shallow_clone()),
            (bytes, _) => Held::Owned(bytes.into_owned()),
        }
    }

    pub fn bytes(&self) -> &[u8] {
        match self {
            Held::Php(z) => z.zend_str().map(|s| s.as_bytes()).unwrap_or(&[]),
            Held::Owned(v) => v,
        }
    }

    /// Lets go of the value without touching PHP memory: for a value that
    /// outlived its request (whose memory the engine already reclaimed) or
    /// that ends up on a thread that is not PHP's.
    pub fn abandon(self) {
        if let Held::Php(z) = self {
            std::mem::forget(z);
        }
    }
}

static NEXT_REQUEST: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

thread_local! {
    static REQUEST: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// A number that identifies the current request on this PHP thread (unique
/// across threads and requests, allocated on first use).
pub fn request_token() -> u64 {
    REQUEST.with(|r| {
        if r.get() == 0 {
            r.set(NEXT_REQUEST.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        }
        r.get()
    })
}

/// The current request's token if one was taken: 0 after the request ended
/// and on threads that are not PHP's. PHP values held with a token may only
/// be released while this still returns it.
pub fn current_request_token() -> u64 {
    REQUEST.with(std::cell::Cell::get)
}

/// At the end of a request: values held with its token are abandoned from now on.
pub fn end_request() {
    REQUEST.with(|r| r.set(0));
}

impl<'a> ext_php_rs::convert::FromZval<'a> for StrArg<'a> {
    const TYPE: ext_php_rs::flags::DataType = ext_php_rs::flags::DataType::String;

    fn from_zval(zval: &'a Zval) -> Option<Self> {
        let z = zval.dereference();
        if z.is_null() {
            return None;
        }
        if let Some(s) = z.zend_str() {
            return Some(StrArg(Ok(std::borrow::Cow::Borrowed(s.as_bytes())), Some(z)));
        }
        if !caller_is_strict() && (z.is_long() || z.is_double() || z.is_bool()) {
            if let Some(s) = z.coerce_to_string() {
                return Some(StrArg(Ok(std::borrow::Cow::Owned(s.into_bytes())), None));
            }
        }
        Some(StrArg(Err(type_name(z)), None))
    }
}

impl From<i32> for IntArg {
    fn from(v: i32) -> Self {
        IntArg(Ok(v as i64))
    }
}

impl ext_php_rs::convert::StubLiteral for IntArg {
    fn stub_literal(&self) -> String {
        match &self.0 {
            Ok(v) => v.to_string(),
            Err(_) => "0".into(),
        }
    }
}

/// Emits an `E_WARNING` (goes through PHP's error handling).
pub fn warning(message: &str) {
    let Ok(msg) = CString::new(message.replace('\0', "\\0")) else { return };
    // SAFETY: zend_error formats with "%s" and reads `msg`, a NUL-terminated string that outlives the call.
    unsafe {
        zend_error(E_WARNING, c"%s".as_ptr(), msg.as_ptr());
    }
}

/// A `callable` parameter that keeps the zval (ext-php-rs' `ZendCallable`
/// does not give it back). Never refused by the argument parser: `get()`
/// throws PHP's own TypeError.
pub struct CallableArg<'a>(pub &'a Zval);

impl<'a> CallableArg<'a> {
    pub fn get(self, func: &str, n: u32, name: &str) -> PhpResult<&'a Zval> {
        if self.0.is_callable() {
            Ok(self.0)
        } else {
            Err(arg_type_error(func, n, name, "callable", &type_name(self.0)))
        }
    }
}

impl<'a> ext_php_rs::convert::FromZval<'a> for CallableArg<'a> {
    const TYPE: ext_php_rs::flags::DataType = ext_php_rs::flags::DataType::Callable;

    fn from_zval(zval: &'a Zval) -> Option<Self> {
        Some(CallableArg(zval))
    }
}

/// An `array` parameter; `get()` throws PHP's own TypeError for anything else.
pub struct ArrayArg<'a>(pub &'a Zval);

impl<'a> ArrayArg<'a> {
    pub fn get(
        self,
        func: &str,
        n: u32,
        name: &str,
        expected: &str,
    ) -> PhpResult<&'a ext_php_rs::types::ZendHashTable> {
        self.0.dereference().array().ok_or_else(|| arg_type_error(func, n, name, expected, &type_name(self.0)))
    }
}

impl<'a> ext_php_rs::convert::FromZval<'a> for ArrayArg<'a> {
    const TYPE: ext_php_rs::flags::DataType = ext_php_rs::flags::DataType::Array;

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
pub fn entries(ht: &ext_php_rs::types::ZendHashTable) -> impl Iterator<Item = (Result<String, String>, &Zval)> {
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

// COpenSSL: the OpenSSL 3 headers gshare uses, plus tiny static-inline forwarders for
// the function-like macros the Clang importer cannot see. Nothing but forwarding here:
// every decision lives in the Swift modules TenantPKI and GShareSSH (HMAC-SHA1 of hashed
// known_hosts names).
#ifndef GSHARE_COPENSSL_H
#define GSHARE_COPENSSL_H

#define OPENSSL_API_COMPAT 30000
#define OPENSSL_NO_DEPRECATED 1

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

// MARK: - Stacks

static inline STACK_OF(X509) *_Nullable COpenSSL_sk_X509_new_null(void) { return sk_X509_new_null(); }
static inline int COpenSSL_sk_X509_num(const STACK_OF(X509) *_Nullable sk) { return sk_X509_num(sk); }
static inline X509 *_Nullable COpenSSL_sk_X509_value(const STACK_OF(X509) *_Nonnull sk, int i) {
    return sk_X509_value(sk, i);
}
/// Pushes without taking a reference: the caller keeps the X509 alive (or up-refs it).
static inline int COpenSSL_sk_X509_push(STACK_OF(X509) *_Nonnull sk, X509 *_Nonnull x) { return sk_X509_push(sk, x); }
static inline void COpenSSL_sk_X509_free(STACK_OF(X509) *_Nullable sk) { sk_X509_free(sk); }
static inline void COpenSSL_sk_X509_pop_free(STACK_OF(X509) *_Nullable sk) { sk_X509_pop_free(sk, X509_free); }

static inline int COpenSSL_sk_GENERAL_NAME_num(const GENERAL_NAMES *_Nullable sk) { return sk_GENERAL_NAME_num(sk); }
static inline GENERAL_NAME *_Nullable COpenSSL_sk_GENERAL_NAME_value(const GENERAL_NAMES *_Nonnull sk, int i) {
    return sk_GENERAL_NAME_value(sk, i);
}
static inline void COpenSSL_GENERAL_NAMES_free(GENERAL_NAMES *_Nullable names) { GENERAL_NAMES_free(names); }

static inline int COpenSSL_sk_ASN1_OBJECT_num(const STACK_OF(ASN1_OBJECT) *_Nullable sk) {
    return sk_ASN1_OBJECT_num(sk);
}
static inline ASN1_OBJECT *_Nullable COpenSSL_sk_ASN1_OBJECT_value(const STACK_OF(ASN1_OBJECT) *_Nonnull sk, int i) {
    return sk_ASN1_OBJECT_value(sk, i);
}
static inline void COpenSSL_EXTENDED_KEY_USAGE_free(EXTENDED_KEY_USAGE *_Nullable eku) {
    sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
}

static inline int COpenSSL_sk_X509_REVOKED_num(const STACK_OF(X509_REVOKED) *_Nullable sk) {
    return sk_X509_REVOKED_num(sk);
}
static inline X509_REVOKED *_Nullable COpenSSL_sk_X509_REVOKED_value(const STACK_OF(X509_REVOKED) *_Nonnull sk, int i) {
    return sk_X509_REVOKED_value(sk, i);
}

// MARK: - Memory and BIOs

static inline void COpenSSL_free(void *_Nullable p) { OPENSSL_free(p); }
static inline int COpenSSL_BIO_reset(BIO *_Nonnull bio) { return (int)BIO_reset(bio); }
static inline long COpenSSL_BIO_get_mem_data(BIO *_Nonnull bio, char *_Nullable *_Nonnull out) {
    return BIO_get_mem_data(bio, out);
}

// MARK: - Verification helpers

/// Errors seen by `COpenSSL_collecting_verify_cb`, stored as the X509_STORE_CTX's app data.
typedef struct {
    int count;
    int errors[64];
    int depths[64];
} COpenSSL_verify_log;

/// A verify callback that records every error (with its depth) and lets verification
/// go on, so that one X509_verify_cert call reports every reason, not just the first.
/// The verdict is then decided from the log, never from the return value.
static inline int COpenSSL_collecting_verify_cb(int ok, X509_STORE_CTX *_Nonnull ctx) {
    if (!ok) {
        COpenSSL_verify_log *log = (COpenSSL_verify_log *)X509_STORE_CTX_get_ex_data(ctx, 0);
        if (log != NULL && log->count < 64) {
            log->errors[log->count] = X509_STORE_CTX_get_error(ctx);
            log->depths[log->count] = X509_STORE_CTX_get_error_depth(ctx);
            log->count += 1;
        }
    }
    return 1;
}

static inline int COpenSSL_X509_STORE_CTX_set_app_data(X509_STORE_CTX *_Nonnull ctx, void *_Nullable data) {
    return X509_STORE_CTX_set_ex_data(ctx, 0, data);
}

/// A PEM passphrase callback that never supplies a passphrase: it records that one was
/// asked for (so an encrypted key is reported as such) and makes the read fail.
static inline int COpenSSL_refuse_passphrase_cb(char *_Nullable buf, int size, int rwflag, void *_Nullable userdata) {
    (void)buf; (void)size; (void)rwflag;
    if (userdata != NULL) { *(int *)userdata = 1; }
    return -1;
}

static inline pem_password_cb *_Nonnull COpenSSL_refuse_passphrase_callback(void) { return COpenSSL_refuse_passphrase_cb; }
static inline X509_STORE_CTX_verify_cb _Nonnull COpenSSL_collecting_verify_callback(void) {
    return COpenSSL_collecting_verify_cb;
}

#endif

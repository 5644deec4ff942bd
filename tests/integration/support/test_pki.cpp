#include "test_pki.hpp"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "child_process.hpp"

namespace dtu::itest {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_file(const fs::path& p, std::string_view text) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("test_pki: cannot write " + p.string());
}

/// Run one openssl command; throws with its stderr if it fails.
void openssl(const fs::path& dir, std::vector<std::string> args) {
    args.insert(args.begin(), "openssl");
    SpawnOptions o;
    o.argv = args;
    o.stderr_file = dir / "openssl.err";
    ChildProcess p(o);
    const auto status = p.wait(std::chrono::seconds(30));
    if (!status || !status->exited() || status->code != 0) {
        std::string cmd;
        for (const auto& a : args)
            cmd += a + " ";
        throw std::runtime_error("test_pki: `" + cmd + "` failed (" +
                                 (status ? status->describe() : std::string("timeout")) +
                                 "): " + read_file(dir / "openssl.err"));
    }
}

const std::vector<std::string> kEcKey = {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                         "-nodes"};

/// The `openssl ca` configuration: a database in dir, SANs copied from the request.
std::string ca_config(const fs::path& dir) {
    const std::string d = dir.string();
    return "[ ca ]\ndefault_ca = test_ca\n"
           "[ test_ca ]\ndatabase = " +
           d + "/index.txt\nnew_certs_dir = " + d + "\nserial = " + d +
           "/serial\ndefault_md = sha256\npolicy = any_name\ncopy_extensions = copy\nunique_subject = no\n"
           "[ any_name ]\ncommonName = supplied\n"
           "[ server_cert ]\nbasicConstraints = CA:FALSE\nkeyUsage = digitalSignature, keyEncipherment\n"
           "extendedKeyUsage = serverAuth\n"
           "[ client_cert ]\nbasicConstraints = CA:FALSE\nkeyUsage = digitalSignature, keyEncipherment\n"
           "extendedKeyUsage = clientAuth\n";
}

PkiIdentity load(const fs::path& cert, const fs::path& key) {
    return PkiIdentity{cert, key, read_file(cert), read_file(key)};
}

PkiIdentity make_ca(const fs::path& dir, const std::string& name, const std::string& cn) {
    const fs::path cert = dir / (name + ".pem"), key = dir / (name + ".key");
    std::vector<std::string> args = {"req", "-x509"};
    args.insert(args.end(), kEcKey.begin(), kEcKey.end());
    args.insert(args.end(),
                {"-keyout", key.string(), "-out", cert.string(), "-days", "3650", "-subj", "/CN=" + cn});
    openssl(dir, args);
    return load(cert, key);
}

/// A certificate request with its new key (or an existing one).
void make_request(const fs::path& dir, const std::string& name, const std::string& cn,
                  const std::string& san) {
    std::vector<std::string> args = {"req", "-new"};
    args.insert(args.end(), kEcKey.begin(), kEcKey.end());
    args.insert(args.end(), {"-keyout", (dir / (name + ".key")).string(), "-out",
                             (dir / (name + ".csr")).string(), "-subj", "/CN=" + cn});
    if (!san.empty()) args.insert(args.end(), {"-addext", "subjectAltName=" + san});
    openssl(dir, args);
}

/// Sign name.csr with the CA; validity: `-days 3650` or `-startdate X -enddate Y`.
PkiIdentity sign(const fs::path& dir, const std::string& csr_name, const std::string& out_name,
                 const std::string& extensions, std::vector<std::string> validity) {
    const fs::path cert = dir / (out_name + ".pem");
    std::vector<std::string> args = {"ca",
                                     "-batch",
                                     "-notext",
                                     "-config",
                                     (dir / "ca.cnf").string(),
                                     "-cert",
                                     (dir / "ca.pem").string(),
                                     "-keyfile",
                                     (dir / "ca.key").string(),
                                     "-in",
                                     (dir / (csr_name + ".csr")).string(),
                                     "-out",
                                     cert.string(),
                                     "-extensions",
                                     extensions};
    args.insert(args.end(), validity.begin(), validity.end());
    openssl(dir, args);
    return load(cert, dir / (csr_name + ".key"));
}

fs::path make_temp_dir() {
    std::string pattern = (fs::temp_directory_path() / "dtu-pki-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
        throw std::system_error(errno, std::generic_category(), "mkdtemp");
    return pattern;
}

/// Owns the directory: removed when the process exits.
struct PkiHolder {
    TestPki pki;
    PkiHolder() {
        pki.dir = make_temp_dir();
        const fs::path& d = pki.dir;
        write_file(d / "ca.cnf", ca_config(d));
        write_file(d / "index.txt", "");
        write_file(d / "serial", "1000\n");
        pki.ca = make_ca(d, "ca", "dtu-sim test CA");
        pki.other_ca = make_ca(d, "other_ca", "unrelated test CA");
        const std::vector<std::string> ten_years = {"-days", "3650"};
        make_request(d, "server", "localhost", "DNS:localhost,IP:127.0.0.1");
        pki.server = sign(d, "server", "server", "server_cert", ten_years);
        pki.expired = sign(d, "server", "expired", "server_cert",
                           {"-startdate", "20200101000000Z", "-enddate", "20200201000000Z"});
        make_request(d, "wrong_host", "wrong.example", "DNS:wrong.example");
        pki.wrong_host = sign(d, "wrong_host", "wrong_host", "server_cert", ten_years);
        make_request(d, "client", "dtu-device", "");
        pki.client = sign(d, "client", "client", "client_cert", ten_years);
    }
    ~PkiHolder() {
        std::error_code ignored;
        fs::remove_all(pki.dir, ignored);
    }
    PkiHolder(const PkiHolder&) = delete;
    PkiHolder& operator=(const PkiHolder&) = delete;
};

} // namespace

const TestPki& test_pki() {
    static const PkiHolder holder;
    return holder.pki;
}

std::string at_escaped(std::string_view pem, bool crlf) {
    const std::string_view line_break = crlf ? "[0D][0A]" : "[0A]";
    std::string out;
    for (std::size_t i = 0; i < pem.size(); ++i) {
        if (pem[i] == '\r' && i + 1 < pem.size() && pem[i + 1] == '\n') continue; // CR LF: one break
        if (pem[i] == '\n')
            out.append(line_break);
        else
            out.push_back(pem[i]);
    }
    return out;
}

} // namespace dtu::itest

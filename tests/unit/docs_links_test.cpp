// The documentation's links (README.md, docs/*.md, scenarios/README.md): every relative link reaches a
// file inside the repository, and a #fragment names a heading of that page. Links into the project's
// workspace outside the repository (../shared/...) break for anyone with a plain clone, so none may
// leave the repository.
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

namespace fs = std::filesystem;

const fs::path kRoot = fs::weakly_canonical(DTU_SOURCE_DIR);

std::string read(const fs::path& file) {
    std::ifstream in(file);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<fs::path> doc_pages() {
    std::vector<fs::path> pages{kRoot / "README.md", kRoot / "scenarios" / "README.md"};
    for (const auto& entry : fs::directory_iterator(kRoot / "docs"))
        if (entry.path().extension() == ".md") pages.push_back(entry.path());
    return pages;
}

/// The text outside ``` fences, line by line.
std::vector<std::string> prose_lines(const std::string& text) {
    std::vector<std::string> lines;
    bool fenced = false;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        const std::string line = text.substr(start, end - start);
        if (line.rfind("```", 0) == 0)
            fenced = !fenced;
        else if (!fenced)
            lines.push_back(line);
        start = end + 1;
    }
    return lines;
}

/// A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to hyphens.
std::string anchor_of(const std::string& heading) {
    std::string anchor;
    for (const char c : heading) {
        if (c == ' ')
            anchor += '-';
        else if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')
            anchor += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return anchor;
}

std::set<std::string> anchors(const fs::path& page) {
    std::set<std::string> result;
    for (const std::string& line : prose_lines(read(page))) {
        const std::size_t hashes = line.find_first_not_of('#');
        if (hashes > 0 && hashes != std::string::npos && hashes <= 6 && line[hashes] == ' ')
            result.insert(anchor_of(line.substr(hashes + 1)));
    }
    return result;
}

/// The targets of the [text](target) links of a page.
std::vector<std::string> link_targets(const fs::path& page) {
    std::vector<std::string> targets;
    for (const std::string& line : prose_lines(read(page)))
        for (std::size_t at = line.find("]("); at != std::string::npos; at = line.find("](", at + 2)) {
            const std::size_t end = line.find(')', at + 2);
            if (end != std::string::npos) targets.push_back(line.substr(at + 2, end - at - 2));
        }
    return targets;
}

bool inside_root(const fs::path& path) {
    const fs::path relative = path.lexically_relative(kRoot);
    return !relative.empty() && *relative.begin() != "..";
}

TEST(DocsLinks, EveryRelativeLinkReachesAFileOfTheRepositoryAndAHeadingOfIt) {
    int checked = 0;
    for (const fs::path& page : doc_pages()) {
        SCOPED_TRACE(page.lexically_relative(kRoot).string());
        for (const std::string& target : link_targets(page)) {
            if (target.find("://") != std::string::npos) continue; // a web address, not a file
            const std::size_t hash = target.find('#');
            const std::string file = target.substr(0, hash);
            const fs::path path = file.empty() ? page : (page.parent_path() / file).lexically_normal();
            ++checked;
            ASSERT_TRUE(inside_root(path)) << target << " leaves the repository";
            ASSERT_TRUE(fs::exists(path)) << target << ": no such file";
            if (hash == std::string::npos || path.extension() != ".md") continue;
            EXPECT_EQ(anchors(path).count(target.substr(hash + 1)), 1u) << target << ": no such heading";
        }
    }
    EXPECT_GT(checked, 20) << "the pages should link each other";
}

TEST(DocsLinks, NoPagePointsIntoTheWorkspaceOutsideTheRepository) {
    for (const fs::path& page : doc_pages())
        EXPECT_EQ(read(page).find("../shared"), std::string::npos) << page;
}

TEST(DocsLinks, TheReadmeLinksEveryDocsPage) {
    const std::string readme = read(kRoot / "README.md");
    for (const auto& entry : fs::directory_iterator(kRoot / "docs"))
        EXPECT_NE(readme.find("(docs/" + entry.path().filename().string() + ")"), std::string::npos)
            << entry.path().filename() << " is not linked from README.md";
}

} // namespace

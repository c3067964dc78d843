package dev.codetable

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** The per-document budget (issue #20): a step past it throws and changes nothing. */
class BudgetTest {
    private val src = "import hashlib\n\nclass Café:\n    def h(self, x):  # 日本 😀\n        return hashlib.md5(x)\n"

    @Test
    fun `a step over the budget throws OverBudgetException and keeps the document as it was`() {
        PatternDatabase.default().use { db ->
            Engine(db).use { engine ->
                Document("python", src).use { doc ->
                    doc.setBudget(0, 3)
                    val e = assertThrows<OverBudgetException> { engine.analyze(doc) }
                    assertEquals(Status.OVER_BUDGET, e.status)
                    assertTrue(e.message!!.contains("budget of 3 syntax nodes"), e.message)
                    assertThrows<OverBudgetException> { doc.edit(0, 0, "import os\n") }
                    assertEquals(src, doc.text)
                    // No limit: the analysis goes through and finds the weak hash.
                    doc.setBudget(0, 0)
                    assertTrue(engine.analyze(doc).any { it.pattern.id == "security.weak-hash.md5" })
                    assertThrows<IllegalArgumentException> { doc.setBudget(-1, 0) }
                }
            }
        }
    }

    @Test
    fun `an edit whose syntax tree would not fit the memory budget throws and changes nothing`() {
        Document("python", src).use { doc ->
            // 200 bytes a token, estimated before parsing: 20 tokens do not fit in 2,000 bytes.
            doc.setMemoryBudget(2_000)
            val e = assertThrows<OverBudgetException> { doc.edit(0, 0, "é(1,2,3,4,5,6,7,8,9)\n") }
            assertTrue(e.message!!.contains("memory budget"), e.message)
            assertEquals(src, doc.text)
            doc.setMemoryBudget(0)
            doc.edit(0, 0, "é(1,2,3,4,5,6,7,8,9)\n")
            assertTrue(doc.text.startsWith("é(1,"))
            assertThrows<IllegalArgumentException> { doc.setMemoryBudget(-1) }
        }
    }
}

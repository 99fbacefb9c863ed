const express = require("express")
const { PrismaClient } = require("@prisma/client")
const { PrismaPg } = require("@prisma/adapter-pg")

const router = express.Router()

router.get("/orders", async (req, res) => {
    const adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL })
    const prisma = new PrismaClient({ adapter })
    const orders = await prisma.order.findMany()
    await prisma.$disconnect()
    res.json(orders)
})

module.exports = router

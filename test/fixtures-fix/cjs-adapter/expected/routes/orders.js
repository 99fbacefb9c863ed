const express = require("express")
const { prisma } = require("../lib/prisma")

const router = express.Router()

router.get("/orders", async (req, res) => {
    const orders = await prisma.order.findMany()
    res.json(orders)
})

module.exports = router

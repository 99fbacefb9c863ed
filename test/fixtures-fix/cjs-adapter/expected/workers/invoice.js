const { prisma } = require("../lib/prisma")

const db = prisma

async function processInvoice(job) {
    return db.invoice.update({ where: { id: job.data.id }, data: { sent: true } })
}

module.exports = { processInvoice }

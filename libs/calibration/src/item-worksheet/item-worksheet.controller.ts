import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, type Principal } from '#libs/core';
import { ItemWorksheetView } from './dto/item-worksheet.dto.js';
import { ItemWorksheetService } from './item-worksheet.service.js';

@ApiTags('calibration templates')
@Controller('requests/:id/items/:itemId/worksheet')
export class ItemWorksheetController {
  constructor(private readonly worksheets: ItemWorksheetService) {}

  @Get()
  @Allow('technician', 'reviewer', 'admin')
  @ApiOperation({
    summary: "A request item's worksheet in one read: the item, its template, the filled sheet, its result",
    description:
      'What GET /requests/{id}/items/{itemId}, GET /calibration-templates?instrumentTypeId=&service=&active=true&limit=1, ' +
      'GET /calibration-templates/{id}/worksheet?instrumentId= (today) and the item’s result with its current revision ' +
      'answer one by one. template is null when the type has no active template for the service, sheet too and for a ' +
      'test sample (no instrument), result while none is recorded. 404 for an unknown request or item, or an item of ' +
      'another request.',
  })
  @ApiOkResponse({ type: ItemWorksheetView })
  ofItem(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('itemId', ParseUUIDPipe) itemId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ItemWorksheetView> {
    return this.worksheets.read(id, itemId, principal);
  }
}
